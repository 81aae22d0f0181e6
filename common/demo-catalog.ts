import { ean13 } from './barcode';
import type { Product } from './catalog';
import type { StoreProfile } from './store-profile';
import type { TaxClass } from './tax';

interface Template {
  name: string;
  usdCents: number;
  taxClass: TaxClass;
  restriction?: 'alcohol' | 'tobacco';
}

/** ~200 products across the aisles of a small grocery, as [category, items]. */
const AISLES: ReadonlyArray<readonly [string, readonly Template[]]> = [
  [
    'Produce',
    [
      'Bananas 1 lb',
      'Gala Apples 3 lb',
      'Navel Oranges 4 lb',
      'Lemons each',
      'Limes each',
      'Avocado each',
      'Roma Tomatoes 1 lb',
      'Cucumber each',
      'Iceberg Lettuce',
      'Baby Spinach 5 oz',
      'Carrots 2 lb',
      'Yellow Onions 3 lb',
      'Russet Potatoes 5 lb',
      'Garlic 3 pack',
      'Strawberries 1 lb',
      'Blueberries 6 oz',
      'Red Grapes 2 lb',
      'Broccoli Crown',
      'Bell Pepper Red',
      'Mushrooms 8 oz',
      'Celery Hearts',
      'Sweet Potatoes 3 lb',
      'Pineapple each',
      'Mango each',
      'Kiwi 1 lb',
    ].map((name, i) => ({ name, usdCents: 79 + ((i * 37) % 420), taxClass: 'reduced' as const })),
  ],
  [
    'Dairy',
    [
      'Whole Milk 1 gal',
      '2% Milk 1/2 gal',
      'Oat Milk 64 oz',
      'Butter Unsalted 1 lb',
      'Large Eggs 12 ct',
      'Greek Yogurt 32 oz',
      'Strawberry Yogurt 6 oz',
      'Cheddar Cheese 8 oz',
      'Mozzarella 16 oz',
      'Parmesan Wedge 5 oz',
      'Cream Cheese 8 oz',
      'Sour Cream 16 oz',
      'Heavy Cream 1 pt',
      'Cottage Cheese 16 oz',
      'Swiss Slices 8 oz',
      'Half and Half 1 qt',
      'Brie Wheel 8 oz',
      'Feta Crumbles 6 oz',
      'Goat Cheese 4 oz',
      'String Cheese 12 ct',
    ].map((name, i) => ({ name, usdCents: 149 + ((i * 53) % 650), taxClass: 'reduced' as const })),
  ],
  [
    'Bakery',
    [
      'Sourdough Loaf',
      'Whole Wheat Bread',
      'White Sandwich Bread',
      'Bagels 6 ct',
      'Croissants 4 ct',
      'Blueberry Muffins 4 ct',
      'Baguette',
      'Ciabatta Rolls 6 ct',
      'Flour Tortillas 10 ct',
      'Corn Tortillas 30 ct',
      'Cinnamon Rolls 4 ct',
      'Chocolate Chip Cookies',
      'Pita Bread 6 ct',
      'Hamburger Buns 8 ct',
      'Rye Bread',
    ].map((name, i) => ({ name, usdCents: 199 + ((i * 41) % 500), taxClass: 'reduced' as const })),
  ],
  [
    'Pantry',
    [
      'Spaghetti 1 lb',
      'Penne 1 lb',
      'Marinara Sauce 24 oz',
      'Basmati Rice 2 lb',
      'Jasmine Rice 5 lb',
      'Black Beans 15 oz',
      'Chickpeas 15 oz',
      'Diced Tomatoes 28 oz',
      'Chicken Broth 32 oz',
      'Peanut Butter 16 oz',
      'Strawberry Jam 18 oz',
      'Honey 12 oz',
      'Maple Syrup 12 oz',
      'Rolled Oats 42 oz',
      'Corn Flakes 18 oz',
      'Granola 12 oz',
      'All-Purpose Flour 5 lb',
      'Sugar 4 lb',
      'Olive Oil 500 ml',
      'Canola Oil 48 oz',
      'Sea Salt 26 oz',
      'Black Pepper 4 oz',
      'Soy Sauce 15 oz',
      'Ketchup 32 oz',
      'Yellow Mustard 14 oz',
      'Mayonnaise 30 oz',
      'Tuna Chunk Light 5 oz',
      'Ground Coffee 12 oz',
      'Green Tea 20 ct',
      'Cocoa Powder 8 oz',
    ].map((name, i) => ({ name, usdCents: 129 + ((i * 67) % 1100), taxClass: 'reduced' as const })),
  ],
  [
    'Frozen',
    [
      'Frozen Pizza Margherita',
      'Frozen Peas 16 oz',
      'Mixed Vegetables 16 oz',
      'Vanilla Ice Cream 1.5 qt',
      'Chocolate Ice Cream 1.5 qt',
      'Fish Sticks 24 ct',
      'Chicken Nuggets 2 lb',
      'French Fries 32 oz',
      'Frozen Berries 16 oz',
      'Waffles 10 ct',
      'Dumplings 24 oz',
      'Burritos 8 ct',
      'Ice 10 lb',
      'Veggie Burgers 4 ct',
      'Edamame 12 oz',
    ].map((name, i) => ({ name, usdCents: 249 + ((i * 71) % 900), taxClass: 'reduced' as const })),
  ],
  [
    'Meat and Fish',
    [
      'Chicken Breast 1 lb',
      'Ground Beef 1 lb',
      'Pork Chops 1 lb',
      'Salmon Fillet 1 lb',
      'Bacon 12 oz',
      'Turkey Slices 9 oz',
      'Ham Slices 9 oz',
      'Italian Sausage 1 lb',
      'Shrimp 12 oz',
      'Ribeye Steak 1 lb',
      'Chicken Thighs 2 lb',
      'Hot Dogs 8 ct',
      'Tofu Firm 14 oz',
      'Cod Fillet 1 lb',
      'Lamb Chops 1 lb',
    ].map((name, i) => ({
      name,
      usdCents: 399 + ((i * 113) % 1500),
      taxClass: 'reduced' as const,
    })),
  ],
  [
    'Snacks',
    [
      'Potato Chips 8 oz',
      'Tortilla Chips 13 oz',
      'Salsa 16 oz',
      'Pretzels 16 oz',
      'Popcorn 6 ct',
      'Trail Mix 10 oz',
      'Almonds 16 oz',
      'Cashews 10 oz',
      'Dark Chocolate Bar',
      'Milk Chocolate Bar',
      'Gummy Bears 5 oz',
      'Granola Bars 6 ct',
      'Crackers 9 oz',
      'Rice Cakes',
      'Peanuts 16 oz',
      'Beef Jerky 3 oz',
      'Hummus 10 oz',
      'Cheese Puffs 8 oz',
      'Cookies Sandwich 14 oz',
      'Seaweed Snack 10 ct',
    ].map((name, i) => ({ name, usdCents: 149 + ((i * 59) % 650), taxClass: 'standard' as const })),
  ],
  [
    'Beverages',
    [
      'Spring Water 24 pk',
      'Sparkling Water 12 pk',
      'Cola 12 pk',
      'Diet Cola 2 L',
      'Lemon-Lime Soda 2 L',
      'Orange Juice 52 oz',
      'Apple Juice 64 oz',
      'Cold Brew Coffee 32 oz',
      'Iced Tea 18 oz',
      'Sports Drink 28 oz',
      'Energy Drink 16 oz',
      'Kombucha 16 oz',
      'Coconut Water 1 L',
      'Lemonade 52 oz',
      'Ginger Ale 12 pk',
    ].map((name, i) => ({ name, usdCents: 129 + ((i * 97) % 800), taxClass: 'standard' as const })),
  ],
  [
    'Beer and Wine',
    [
      'Lager 6 pk',
      'IPA 6 pk',
      'Wheat Beer 6 pk',
      'Stout 4 pk',
      'Hard Cider 6 pk',
      'Pinot Noir 750 ml',
      'Cabernet Sauvignon 750 ml',
      'Chardonnay 750 ml',
      'Sauvignon Blanc 750 ml',
      'Prosecco 750 ml',
      'Rosé 750 ml',
      'Soju 360 ml',
      'Sake 720 ml',
      'Vodka 750 ml',
      'Whiskey 750 ml',
    ].map((name, i) => ({
      name,
      usdCents: 799 + ((i * 211) % 2400),
      taxClass: 'standard' as const,
      restriction: 'alcohol' as const,
    })),
  ],
  [
    'Tobacco',
    [
      'Cigarettes Red 20 ct',
      'Cigarettes Blue 20 ct',
      'Rolling Tobacco 50 g',
      'Cigarillos 5 ct',
      'Nicotine Gum 20 ct',
    ].map((name, i) => ({
      name,
      usdCents: 899 + i * 150,
      taxClass: 'standard' as const,
      restriction: 'tobacco' as const,
    })),
  ],
  [
    'Household',
    [
      'Paper Towels 6 rolls',
      'Toilet Paper 12 rolls',
      'Dish Soap 24 oz',
      'Laundry Detergent 92 oz',
      'Trash Bags 45 ct',
      'Aluminum Foil 75 sq ft',
      'Plastic Wrap 200 sq ft',
      'Sponges 6 ct',
      'All-Purpose Cleaner',
      'Glass Cleaner',
      'AA Batteries 8 ct',
      'Light Bulbs 4 ct',
      'Zip Bags Gallon 30 ct',
      'Napkins 250 ct',
      'Matches 10 boxes',
    ].map((name, i) => ({
      name,
      usdCents: 199 + ((i * 131) % 1600),
      taxClass: 'standard' as const,
    })),
  ],
  [
    'Personal Care',
    [
      'Toothpaste 4 oz',
      'Toothbrush 2 ct',
      'Shampoo 12 oz',
      'Conditioner 12 oz',
      'Body Wash 18 oz',
      'Bar Soap 4 ct',
      'Deodorant',
      'Razors 4 ct',
      'Shaving Cream 7 oz',
      'Sunscreen SPF 50',
      'Hand Lotion 8 oz',
      'Lip Balm',
      'Cotton Swabs 500 ct',
      'Bandages 30 ct',
      'Pain Reliever 100 ct',
    ].map((name, i) => ({
      name,
      usdCents: 249 + ((i * 89) % 1200),
      taxClass: 'standard' as const,
    })),
  ],
];

/** Round a converted price to how the store's shelves would show it. */
function localPrice(usdCents: number, profile: StoreProfile): number {
  switch (profile.currency) {
    case 'KRW':
      return Math.max(100, Math.round((usdCents * 13.5) / 100) * 100); // whole hundreds of won
    case 'EUR': {
      const cents = Math.round(usdCents * 0.95);
      return Math.max(9, cents - (cents % 10) + 9); // ends in 9
    }
    default:
      return usdCents;
  }
}

/** The demo store's catalog for a profile: deterministic, so barcodes are stable across runs. */
export function demoCatalog(profile: StoreProfile): Product[] {
  const products: Product[] = [];
  let n = 0;
  for (const [category, items] of AISLES) {
    for (const t of items) {
      n += 1;
      const minimumAge =
        t.restriction === 'alcohol'
          ? profile.alcoholAge
          : t.restriction === 'tobacco'
            ? profile.tobaccoAge
            : 0;
      products.push({
        id: `p${String(n).padStart(4, '0')}`,
        barcode: ean13(`20000000${String(n).padStart(4, '0')}`),
        name: t.name,
        price: localPrice(t.usdCents, profile),
        taxClass: t.taxClass,
        minimumAge,
        category,
      });
    }
  }
  return products;
}
