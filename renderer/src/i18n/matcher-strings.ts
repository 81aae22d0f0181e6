/**
 * Palm-pay readiness strings for the lane's status bar, one object per language with the same
 * keys. Merged into the main translation resources under `palmPay`.
 */
const en = {
  palmPay: {
    label: 'Palm pay',
    states: {
      'no-shard': 'no customers loaded',
      loading: 'loading customers…',
      ready: 'ready',
      unavailable: 'unavailable',
    },
    progress: 'Loading palm customers',
    counts: '{{done}} of {{total}} chunks',
    templates_one: '{{count}} palm',
    templates_other: '{{count}} palms',
    cashCardOk: 'cash and card work as usual',
    reasons: {
      signature: 'the shard signature is not valid',
      chunk: 'a shard chunk was altered or is missing',
      key: 'this terminal’s key cannot open the shard',
      format: 'the shard is malformed',
      chain: 'the shard is not for this store or out of order',
      trust: 'this lane is not provisioned for palm pay',
      matcher: 'the palm matcher could not start',
    },
  },
};

const de: typeof en = {
  palmPay: {
    label: 'Handflächenzahlung',
    states: {
      'no-shard': 'keine Kunden geladen',
      loading: 'Kunden werden geladen…',
      ready: 'bereit',
      unavailable: 'nicht verfügbar',
    },
    progress: 'Handflächen-Kunden werden geladen',
    counts: '{{done}} von {{total}} Blöcken',
    templates_one: '{{count}} Handfläche',
    templates_other: '{{count}} Handflächen',
    cashCardOk: 'Bar- und Kartenzahlung funktionieren wie gewohnt',
    reasons: {
      signature: 'die Signatur des Datenpakets ist ungültig',
      chunk: 'ein Block des Datenpakets wurde verändert oder fehlt',
      key: 'der Schlüssel dieses Terminals öffnet das Datenpaket nicht',
      format: 'das Datenpaket ist fehlerhaft',
      chain: 'das Datenpaket gehört nicht zu dieser Filiale oder ist nicht in Reihenfolge',
      trust: 'diese Kasse ist für Handflächenzahlung nicht eingerichtet',
      matcher: 'der Handflächenabgleich konnte nicht starten',
    },
  },
};

const ko: typeof en = {
  palmPay: {
    label: '손바닥 결제',
    states: {
      'no-shard': '등록된 고객 없음',
      loading: '고객 정보 불러오는 중…',
      ready: '사용 가능',
      unavailable: '사용 불가',
    },
    progress: '손바닥 고객 정보 불러오는 중',
    counts: '{{total}}개 중 {{done}}개 블록',
    templates_one: '손바닥 {{count}}개',
    templates_other: '손바닥 {{count}}개',
    cashCardOk: '현금과 카드는 평소대로 사용할 수 있습니다',
    reasons: {
      signature: '데이터 묶음의 서명이 올바르지 않습니다',
      chunk: '데이터 블록이 변경되었거나 없습니다',
      key: '이 단말기의 키로 데이터를 열 수 없습니다',
      format: '데이터 형식이 잘못되었습니다',
      chain: '이 매장의 데이터가 아니거나 순서가 맞지 않습니다',
      trust: '이 계산대는 손바닥 결제가 설정되지 않았습니다',
      matcher: '손바닥 매처를 시작할 수 없습니다',
    },
  },
};

export const matcherStrings = { en, de, ko };
