/**
 * Palm-scanner strings for the lane (status bar, guidance, errors), one object per language with
 * the same keys. Merged into the main translation resources under `scanner`.
 */
const en = {
  scanner: {
    label: 'Palm scanner',
    states: {
      absent: 'not connected',
      connecting: 'connecting…',
      ready: 'ready',
      capturing: 'reading palm…',
      fault: 'out of order',
    },
    emulated: 'emulated',
    keyPending: 'key awaits manager approval',
    keyMismatch: 'unknown device key — do not use',
    rejected_one: '{{count}} capture refused',
    rejected_other: '{{count}} captures refused',
    emulator: {
      title: 'Palm scanner emulator',
      quality: 'Quality',
      liveness: 'Liveness',
      present: 'Present palm',
      remove: 'Remove hand',
      unplug: 'Unplug scanner',
      replug: 'Plug scanner in',
      sensorFault: 'Sensor fault',
    },
    guidance: {
      HAND_DETECTED: 'Hand detected',
      MOVE_CLOSER: 'Move your hand closer',
      MOVE_AWAY: 'Move your hand a little further away',
      HOLD_STILL: 'Hold still',
      CENTER_HAND: 'Center your hand over the scanner',
      CAPTURING: 'Reading…',
      HAND_REMOVED: 'Hand removed',
    },
    errors: {
      CAPTURE_TIMEOUT: 'No hand was seen in time',
      CAPTURE_CANCELLED: 'Palm reading cancelled',
      LIVENESS_FAILED: 'The palm could not be verified. Please pay another way.',
      QUALITY_TOO_LOW: 'The palm could not be read clearly. Please try again.',
      SENSOR_FAULT: 'The palm scanner is out of order',
      CAPTURE_REJECTED: 'The scanner sent an untrusted reading; it was refused',
      SCANNER_KEY_PENDING: 'A manager must approve this scanner first',
      SCANNER_KEY_MISMATCH: 'This scanner’s key does not match the one on record',
      DEVICE_OFFLINE: 'The palm scanner is not connected',
      DEVICE_BUSY: 'The palm scanner is busy',
      DEVICE_NOT_RESPONDING: 'The palm scanner is not responding',
    },
  },
};

type Strings = typeof en;

const de: Strings = {
  scanner: {
    label: 'Handflächenscanner',
    states: {
      absent: 'nicht verbunden',
      connecting: 'verbindet…',
      ready: 'bereit',
      capturing: 'liest Handfläche…',
      fault: 'außer Betrieb',
    },
    emulated: 'emuliert',
    keyPending: 'Schlüssel wartet auf Freigabe durch die Marktleitung',
    keyMismatch: 'unbekannter Geräteschlüssel – nicht verwenden',
    rejected_one: '{{count}} Erfassung abgewiesen',
    rejected_other: '{{count}} Erfassungen abgewiesen',
    emulator: {
      title: 'Handflächenscanner-Emulator',
      quality: 'Qualität',
      liveness: 'Lebenderkennung',
      present: 'Handfläche vorhalten',
      remove: 'Hand wegnehmen',
      unplug: 'Scanner abziehen',
      replug: 'Scanner anschließen',
      sensorFault: 'Sensorfehler',
    },
    guidance: {
      HAND_DETECTED: 'Hand erkannt',
      MOVE_CLOSER: 'Hand näher heranführen',
      MOVE_AWAY: 'Hand etwas weiter weg halten',
      HOLD_STILL: 'Bitte stillhalten',
      CENTER_HAND: 'Hand mittig über den Scanner halten',
      CAPTURING: 'Wird gelesen…',
      HAND_REMOVED: 'Hand entfernt',
    },
    errors: {
      CAPTURE_TIMEOUT: 'Es wurde rechtzeitig keine Hand erkannt',
      CAPTURE_CANCELLED: 'Handflächenerfassung abgebrochen',
      LIVENESS_FAILED: 'Die Handfläche konnte nicht bestätigt werden. Bitte anders bezahlen.',
      QUALITY_TOO_LOW: 'Die Handfläche war nicht deutlich lesbar. Bitte erneut versuchen.',
      SENSOR_FAULT: 'Der Handflächenscanner ist außer Betrieb',
      CAPTURE_REJECTED:
        'Der Scanner hat eine nicht vertrauenswürdige Erfassung gesendet; sie wurde abgewiesen',
      SCANNER_KEY_PENDING: 'Die Marktleitung muss diesen Scanner zuerst freigeben',
      SCANNER_KEY_MISMATCH:
        'Der Schlüssel dieses Scanners stimmt nicht mit dem hinterlegten überein',
      DEVICE_OFFLINE: 'Der Handflächenscanner ist nicht verbunden',
      DEVICE_BUSY: 'Der Handflächenscanner ist beschäftigt',
      DEVICE_NOT_RESPONDING: 'Der Handflächenscanner antwortet nicht',
    },
  },
};

const ko: Strings = {
  scanner: {
    label: '손바닥 스캐너',
    states: {
      absent: '연결 안 됨',
      connecting: '연결 중…',
      ready: '준비됨',
      capturing: '손바닥 인식 중…',
      fault: '고장',
    },
    emulated: '에뮬레이션',
    keyPending: '관리자 승인 대기 중인 키',
    keyMismatch: '알 수 없는 장치 키 — 사용하지 마세요',
    rejected_one: '거부된 인식 {{count}}건',
    rejected_other: '거부된 인식 {{count}}건',
    emulator: {
      title: '손바닥 스캐너 에뮬레이터',
      quality: '품질',
      liveness: '생체 감지',
      present: '손바닥 대기',
      remove: '손 떼기',
      unplug: '스캐너 분리',
      replug: '스캐너 연결',
      sensorFault: '센서 고장',
    },
    guidance: {
      HAND_DETECTED: '손이 감지되었습니다',
      MOVE_CLOSER: '손을 더 가까이 대 주세요',
      MOVE_AWAY: '손을 조금 더 떨어뜨려 주세요',
      HOLD_STILL: '움직이지 마세요',
      CENTER_HAND: '손을 스캐너 가운데에 맞춰 주세요',
      CAPTURING: '인식 중…',
      HAND_REMOVED: '손을 떼었습니다',
    },
    errors: {
      CAPTURE_TIMEOUT: '시간 안에 손이 감지되지 않았습니다',
      CAPTURE_CANCELLED: '손바닥 인식이 취소되었습니다',
      LIVENESS_FAILED: '손바닥을 확인할 수 없습니다. 다른 방법으로 결제해 주세요.',
      QUALITY_TOO_LOW: '손바닥을 선명하게 읽지 못했습니다. 다시 시도해 주세요.',
      SENSOR_FAULT: '손바닥 스캐너가 고장났습니다',
      CAPTURE_REJECTED: '스캐너가 신뢰할 수 없는 인식 결과를 보내 거부했습니다',
      SCANNER_KEY_PENDING: '관리자가 먼저 이 스캐너를 승인해야 합니다',
      SCANNER_KEY_MISMATCH: '이 스캐너의 키가 등록된 키와 다릅니다',
      DEVICE_OFFLINE: '손바닥 스캐너가 연결되어 있지 않습니다',
      DEVICE_BUSY: '손바닥 스캐너가 사용 중입니다',
      DEVICE_NOT_RESPONDING: '손바닥 스캐너가 응답하지 않습니다',
    },
  },
};

export const scannerStrings = { en, de, ko };
