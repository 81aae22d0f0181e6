/**
 * What the printed receipt (and any printed document) says, and the printer's problems, one
 * object per language with the same keys. Merged into the translation resources under
 * `printout` and `printer`. Money and dates come from Intl with the store's locale.
 */
const en = {
  printout: {
    receiptNo: 'Receipt {{no}}',
    subtotal: 'Subtotal',
    tax: 'Sales tax',
    taxIncluded: 'incl. VAT {{rate}}',
    taxIncludedTotal: 'incl. VAT',
    total: 'TOTAL',
    cash: 'Cash',
    change: 'Change',
    card: '{{brand}} **** {{last4}}',
    auth: 'Auth code {{auth}}',
    palm: 'Paid by palm',
    palmCard: 'Card on file {{brand}} **** {{last4}}',
    palmStored: 'Card on file, authorized later',
    loyalty: 'Loyalty {{id}}',
    items_one: '{{count}} item',
    items_other: '{{count}} items',
    eReceipt: 'Your receipt online:',
    thanks: 'Thank you for shopping with us',
  },
  printer: {
    paperOut: 'The receipt printer is out of paper. The sale is saved: load paper and print again.',
    coverOpen: 'The receipt printer’s cover is open. The sale is saved: close it and print again.',
    offline:
      'The receipt printer is offline. The sale is saved: check its cable or power and print again.',
    notResponding:
      'The receipt printer did not answer. The sale is saved: check it and print again.',
    failed: 'The receipt did not print ({{message}}). The sale is saved: print again.',
  },
  printerEmulator: {
    title: 'Receipt printer',
    fault: 'Printer fault',
    none: 'none',
    'paper-out': 'out of paper',
    'cover-open': 'cover open',
    offline: 'offline',
    paper: 'Paper (decoded from the ESC/POS the printer received)',
    empty: 'Nothing printed yet',
    job: 'Job {{id}} · {{bytes}} bytes',
    drawerKick: 'drawer kick (pin {{pin}})',
    cut: 'cut',
  },
};

type Strings = typeof en;

const de: Strings = {
  printout: {
    receiptNo: 'Beleg {{no}}',
    subtotal: 'Zwischensumme',
    tax: 'Umsatzsteuer',
    taxIncluded: 'enth. MwSt. {{rate}}',
    taxIncludedTotal: 'enth. MwSt.',
    total: 'SUMME',
    cash: 'Bar',
    change: 'Rückgeld',
    card: '{{brand}} **** {{last4}}',
    auth: 'Genehmigung {{auth}}',
    palm: 'Bezahlt per Handfläche',
    palmCard: 'Hinterlegte Karte {{brand}} **** {{last4}}',
    palmStored: 'Hinterlegte Karte, später autorisiert',
    loyalty: 'Kundenkarte {{id}}',
    items_one: '{{count}} Artikel',
    items_other: '{{count}} Artikel',
    eReceipt: 'Ihr Beleg online:',
    thanks: 'Vielen Dank für Ihren Einkauf',
  },
  printer: {
    paperOut:
      'Im Bondrucker ist kein Papier. Der Verkauf ist gespeichert: Papier einlegen und erneut drucken.',
    coverOpen:
      'Die Klappe des Bondruckers ist offen. Der Verkauf ist gespeichert: schließen und erneut drucken.',
    offline:
      'Der Bondrucker ist nicht erreichbar. Der Verkauf ist gespeichert: Kabel oder Strom prüfen und erneut drucken.',
    notResponding:
      'Der Bondrucker antwortet nicht. Der Verkauf ist gespeichert: prüfen und erneut drucken.',
    failed:
      'Der Beleg wurde nicht gedruckt ({{message}}). Der Verkauf ist gespeichert: erneut drucken.',
  },
  printerEmulator: {
    title: 'Bondrucker',
    fault: 'Druckerfehler',
    none: 'keiner',
    'paper-out': 'kein Papier',
    'cover-open': 'Klappe offen',
    offline: 'nicht erreichbar',
    paper: 'Papier (aus dem empfangenen ESC/POS gelesen)',
    empty: 'Noch nichts gedruckt',
    job: 'Auftrag {{id}} · {{bytes}} Bytes',
    drawerKick: 'Kassenlade geöffnet (Pin {{pin}})',
    cut: 'Schnitt',
  },
};

const ko: Strings = {
  printout: {
    receiptNo: '영수증 {{no}}',
    subtotal: '소계',
    tax: '판매세',
    taxIncluded: '부가세 포함 {{rate}}',
    taxIncludedTotal: '부가세 포함',
    total: '합계',
    cash: '현금',
    change: '거스름돈',
    card: '{{brand}} **** {{last4}}',
    auth: '승인번호 {{auth}}',
    palm: '손바닥 결제',
    palmCard: '등록 카드 {{brand}} **** {{last4}}',
    palmStored: '등록 카드, 나중에 승인',
    loyalty: '멤버십 {{id}}',
    items_one: '{{count}}개 품목',
    items_other: '{{count}}개 품목',
    eReceipt: '온라인 영수증:',
    thanks: '이용해 주셔서 감사합니다',
  },
  printer: {
    paperOut:
      '영수증 프린터에 용지가 없습니다. 판매는 저장되었습니다. 용지를 넣고 다시 인쇄하세요.',
    coverOpen: '영수증 프린터 덮개가 열려 있습니다. 판매는 저장되었습니다. 닫고 다시 인쇄하세요.',
    offline:
      '영수증 프린터가 연결되어 있지 않습니다. 판매는 저장되었습니다. 케이블이나 전원을 확인하고 다시 인쇄하세요.',
    notResponding:
      '영수증 프린터가 응답하지 않습니다. 판매는 저장되었습니다. 확인 후 다시 인쇄하세요.',
    failed: '영수증이 인쇄되지 않았습니다({{message}}). 판매는 저장되었습니다. 다시 인쇄하세요.',
  },
  printerEmulator: {
    title: '영수증 프린터',
    fault: '프린터 오류',
    none: '없음',
    'paper-out': '용지 없음',
    'cover-open': '덮개 열림',
    offline: '연결 끊김',
    paper: '용지 (프린터가 받은 ESC/POS에서 해독)',
    empty: '아직 인쇄된 것이 없습니다',
    job: '작업 {{id}} · {{bytes}}바이트',
    drawerKick: '돈통 열림 (핀 {{pin}})',
    cut: '절단',
  },
};

export const receiptStrings = { en, de, ko };
