/** The manager view's diagnostics export, one object per language; merged under `diagnostics`. */
const en = {
  diagnostics: {
    title: 'Diagnostics for a technician',
    help: 'Versions, device states, the sync queue and the last problems the terminal logged. It holds no sales, staff or customer data.',
    build: 'Create diagnostics',
    download: 'Save as file',
  },
};
type Strings = typeof en;
const de: Strings = {
  diagnostics: {
    title: 'Diagnose für den Techniker',
    help: 'Versionen, Gerätezustände, die Sync-Warteschlange und die letzten protokollierten Probleme. Enthält keine Verkaufs-, Personal- oder Kundendaten.',
    build: 'Diagnose erstellen',
    download: 'Als Datei speichern',
  },
};
const ko: Strings = {
  diagnostics: {
    title: '기술자용 진단 정보',
    help: '버전, 장치 상태, 동기화 대기열, 최근에 기록된 문제. 판매, 직원, 고객 정보는 들어 있지 않습니다.',
    build: '진단 정보 만들기',
    download: '파일로 저장',
  },
};
export const supportStrings = { en, de, ko };
