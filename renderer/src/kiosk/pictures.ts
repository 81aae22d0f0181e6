/**
 * A picture for each produce item and a sign for each aisle: the look-up screen shows these so a
 * shopper finds a banana without reading. Emoji keep the kiosk free of image assets; a store
 * with its own product photos would put their URLs in the catalog instead.
 */
const PRODUCE: ReadonlyArray<readonly [RegExp, string]> = [
  [/banana/i, '🍌'],
  [/apple/i, '🍎'],
  [/orange/i, '🍊'],
  [/lemon/i, '🍋'],
  [/lime/i, '🍈'],
  [/avocado/i, '🥑'],
  [/tomato/i, '🍅'],
  [/cucumber/i, '🥒'],
  [/lettuce|spinach/i, '🥬'],
  [/carrot/i, '🥕'],
  [/onion/i, '🧅'],
  [/sweet potato/i, '🍠'],
  [/potato/i, '🥔'],
  [/garlic/i, '🧄'],
  [/strawberr/i, '🍓'],
  [/blueberr/i, '🫐'],
  [/grape/i, '🍇'],
  [/broccoli/i, '🥦'],
  [/pepper/i, '🫑'],
  [/mushroom/i, '🍄'],
  [/celery/i, '🥬'],
  [/pineapple/i, '🍍'],
  [/mango/i, '🥭'],
  [/kiwi/i, '🥝'],
  [/bread|bagel|roll|croissant|muffin/i, '🍞'],
  [/milk/i, '🥛'],
  [/cheese/i, '🧀'],
  [/egg/i, '🥚'],
  [/beer|lager|ipa/i, '🍺'],
  [/wine/i, '🍷'],
  [/coffee/i, '☕'],
];

export function pictureFor(name: string): string {
  for (const [re, pic] of PRODUCE) if (re.test(name)) return pic;
  return '🛒';
}
