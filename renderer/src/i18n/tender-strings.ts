/**
 * Split tender, the wallet tender and palm refunds, one object per language with the same keys.
 * `split`, `walletTender` and `palmRefund` are their own namespaces; `tender`, `printout` and
 * `errors` entries are merged into those namespaces (renderer/src/i18n/index.ts).
 */
const en = {
  split: {
    part: 'Take {{amount}} as part payment',
    paid: 'Paid in cash so far',
    due: 'Still due',
    restBy: 'Pay the rest by',
    handBack: 'Hand back {{amount}} in cash: the part payment was cancelled.',
  },
  walletTender: {
    paid: 'Paid by {{wallet}} · code •••• {{last4}} · ref {{auth}}',
    title: 'Wallet payment',
    scan: 'Ask the shopper to open their wallet app and show the payment code, then scan it.',
    code: 'Payment code',
    authorizing: 'Authorizing with the wallet…',
    retry: 'Ask the wallet again',
    unresolved:
      'The wallet’s answer was lost. Ask again (the code is never charged twice), or choose another tender.',
    cancelling: 'Cancelling the wallet payment…',
    notACode: 'This is not a wallet payment code.',
    payCash: 'Pay with cash',
    payCard: 'Pay by card',
    reasons: {
      WALLET_DECLINED: 'The wallet declined the payment.',
      WALLET_INSUFFICIENT_FUNDS: 'The wallet balance is too low.',
      WALLET_CODE_EXPIRED: 'The payment code has expired. Ask the shopper to refresh it.',
      WALLET_CODE_REUSED: 'This payment code was already used. Ask the shopper for a fresh one.',
      WALLET_UNAVAILABLE: 'The wallet service is not answering. Please pay by card or cash.',
      WALLET_OFFLINE:
        'Wallet payments need the network, and this lane is offline. Please pay by card or cash.',
      AMOUNT_MISMATCH: 'The wallet payment was for a different amount. Please pay another way.',
      CURRENCY_MISMATCH: 'The wallet payment was in another currency. Please pay another way.',
      CODE_MALFORMED: 'The payment code could not be read. Scan it again.',
    },
  },
  palmRefund: {
    offline: 'A palm refund goes back through the store cloud, which is not reachable now.',
    refused: 'The store cloud refused the palm refund: {{message}}',
  },
  tender: { wallet: 'Wallet', walletKey: 'Wallet' },
  printout: {
    wallet: 'Wallet {{wallet}}',
    walletCode: 'Payment code ****{{last4}}',
  },
  errors: {
    WALLET_AT_KIOSK:
      'Wallet payment codes are taken at a staffed checkout. Please pay by palm or card.',
    CASH_PART_INVALID:
      'A part payment must be more than nothing and less than the amount still due.',
    WALLET_CODE_NOT_NOW:
      'That was a wallet payment code. Finish the sale (items, ID check) first, then scan it.',
  },
};
type Strings = typeof en;
const de: Strings = {
  split: {
    part: '{{amount}} als Teilzahlung annehmen',
    paid: 'Bisher bar bezahlt',
    due: 'Noch offen',
    restBy: 'Rest bezahlen mit',
    handBack: '{{amount}} bar zurückgeben: die Teilzahlung wurde storniert.',
  },
  walletTender: {
    paid: 'Bezahlt mit {{wallet}} · Code •••• {{last4}} · Ref. {{auth}}',
    title: 'Wallet-Zahlung',
    scan: 'Bitten Sie den Kunden, in seiner Wallet-App den Zahlungscode zu zeigen, und scannen Sie ihn.',
    code: 'Zahlungscode',
    authorizing: 'Autorisierung bei der Wallet…',
    retry: 'Wallet erneut fragen',
    unresolved:
      'Die Antwort der Wallet ging verloren. Erneut fragen (der Code wird nie doppelt belastet) oder anders bezahlen.',
    cancelling: 'Wallet-Zahlung wird storniert…',
    notACode: 'Das ist kein Wallet-Zahlungscode.',
    payCash: 'Bar bezahlen',
    payCard: 'Mit Karte bezahlen',
    reasons: {
      WALLET_DECLINED: 'Die Wallet hat die Zahlung abgelehnt.',
      WALLET_INSUFFICIENT_FUNDS: 'Das Wallet-Guthaben reicht nicht.',
      WALLET_CODE_EXPIRED: 'Der Zahlungscode ist abgelaufen. Bitte neu laden lassen.',
      WALLET_CODE_REUSED:
        'Dieser Zahlungscode wurde schon benutzt. Bitte einen neuen zeigen lassen.',
      WALLET_UNAVAILABLE: 'Der Wallet-Dienst antwortet nicht. Bitte mit Karte oder bar bezahlen.',
      WALLET_OFFLINE:
        'Wallet-Zahlungen brauchen das Netz, und diese Kasse ist offline. Bitte mit Karte oder bar bezahlen.',
      AMOUNT_MISMATCH:
        'Die Wallet-Zahlung lautete auf einen anderen Betrag. Bitte anders bezahlen.',
      CURRENCY_MISMATCH: 'Die Wallet-Zahlung war in einer anderen Währung. Bitte anders bezahlen.',
      CODE_MALFORMED: 'Der Zahlungscode war nicht lesbar. Bitte erneut scannen.',
    },
  },
  palmRefund: {
    offline:
      'Eine Handflächen-Erstattung läuft über die Filial-Cloud, die gerade nicht erreichbar ist.',
    refused: 'Die Filial-Cloud hat die Handflächen-Erstattung abgelehnt: {{message}}',
  },
  tender: { wallet: 'Wallet', walletKey: 'Wallet' },
  printout: {
    wallet: 'Wallet {{wallet}}',
    walletCode: 'Zahlungscode ****{{last4}}',
  },
  errors: {
    WALLET_AT_KIOSK:
      'Wallet-Zahlungscodes nimmt eine bediente Kasse an. Bitte mit Handfläche oder Karte bezahlen.',
    CASH_PART_INVALID:
      'Eine Teilzahlung muss mehr als nichts und weniger als der offene Betrag sein.',
    WALLET_CODE_NOT_NOW:
      'Das war ein Wallet-Zahlungscode. Erst den Verkauf abschließen (Artikel, Ausweis), dann scannen.',
  },
};
const ko: Strings = {
  split: {
    part: '{{amount}} 부분 결제',
    paid: '지금까지 현금 결제',
    due: '남은 금액',
    restBy: '나머지 결제 수단',
    handBack: '현금 {{amount}}을(를) 돌려주세요: 부분 결제가 취소되었습니다.',
  },
  walletTender: {
    paid: '{{wallet}} 결제 · 코드 •••• {{last4}} · 승인 {{auth}}',
    title: '간편결제',
    scan: '고객에게 간편결제 앱의 결제 코드를 보여 달라고 한 뒤 스캔하세요.',
    code: '결제 코드',
    authorizing: '간편결제 승인 중…',
    retry: '다시 요청',
    unresolved:
      '간편결제 응답을 받지 못했습니다. 다시 요청하거나(중복 결제되지 않습니다) 다른 결제 수단을 선택하세요.',
    cancelling: '간편결제 취소 중…',
    notACode: '간편결제 결제 코드가 아닙니다.',
    payCash: '현금 결제',
    payCard: '카드 결제',
    reasons: {
      WALLET_DECLINED: '간편결제가 거절되었습니다.',
      WALLET_INSUFFICIENT_FUNDS: '간편결제 잔액이 부족합니다.',
      WALLET_CODE_EXPIRED: '결제 코드가 만료되었습니다. 코드를 새로 고쳐 달라고 하세요.',
      WALLET_CODE_REUSED: '이미 사용된 결제 코드입니다. 새 코드를 보여 달라고 하세요.',
      WALLET_UNAVAILABLE: '간편결제 서비스가 응답하지 않습니다. 카드나 현금으로 결제하세요.',
      WALLET_OFFLINE:
        '간편결제는 네트워크가 필요한데 이 계산대는 오프라인입니다. 카드나 현금으로 결제하세요.',
      AMOUNT_MISMATCH: '간편결제 금액이 다릅니다. 다른 수단으로 결제하세요.',
      CURRENCY_MISMATCH: '간편결제 통화가 다릅니다. 다른 수단으로 결제하세요.',
      CODE_MALFORMED: '결제 코드를 읽을 수 없습니다. 다시 스캔하세요.',
    },
  },
  palmRefund: {
    offline: '손바닥 결제 환불은 매장 클라우드를 거치는데 지금 연결할 수 없습니다.',
    refused: '매장 클라우드가 손바닥 결제 환불을 거절했습니다: {{message}}',
  },
  tender: { wallet: '간편결제', walletKey: '간편결제' },
  printout: {
    wallet: '간편결제 {{wallet}}',
    walletCode: '결제 코드 ****{{last4}}',
  },
  errors: {
    WALLET_AT_KIOSK:
      '간편결제 코드는 직원이 있는 계산대에서 받습니다. 손바닥이나 카드로 결제하세요.',
    CASH_PART_INVALID: '부분 결제는 0보다 크고 남은 금액보다 작아야 합니다.',
    WALLET_CODE_NOT_NOW:
      '간편결제 결제 코드입니다. 판매(상품, 신분 확인)를 먼저 마친 뒤 스캔하세요.',
  },
};
export const tenderStrings = { en, de, ko };
