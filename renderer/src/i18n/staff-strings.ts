/**
 * Staff credential strings (the manager approval dialog, palm-pay approval), one object per
 * language with the same keys. Merged into the translation resources under `staff` and
 * `palmAccess`.
 */
const en = {
  staff: {
    title: 'Manager approval',
    person: 'Manager',
    passcode: 'Passcode',
    approve: 'Approve',
    cancel: 'Cancel',
    checking: 'Checking…',
    wrong_one: 'Wrong passcode. {{count}} try left before entry locks.',
    wrong_other: 'Wrong passcode. {{count}} tries left before entry locks.',
    lockedSeconds: 'Too many wrong passcodes. Entry is locked for {{seconds}} s.',
    lockedMinutes: 'Too many wrong passcodes. Entry is locked for {{minutes}} min.',
    noStaff:
      'This lane has no staff list yet, so nobody can approve anything here and no built-in passcode exists. The list arrives from the store cloud once the lane is connected: a manager issues a provisioning code in the store dashboard, then types it in Manager → Connect this lane to the store cloud.',
    noManagers: 'The store’s staff list on this lane has no manager.',
    approvedBy: 'Approved by {{name}}.',
    purpose: {
      manager: 'Open the manager view.',
      store: 'Change this lane’s store to {{name}}.',
      scanner: 'Approve palm scanner {{serial}} (key {{fingerprint}}) for this store.',
    },
    scannerCloud:
      'The store cloud checks the passcode and records the scanner’s key for the store, so approving a scanner needs the lane to reach the cloud.',
    cloudUnreachable:
      'Approving a scanner needs the store cloud, which this lane cannot reach now. Try again when the lane is online.',
    notConnected:
      'Approving a scanner needs the store cloud: connect this lane first (Manager → Connect this lane to the store cloud).',
    hostRefused: 'The store cloud approved the key, but the scanner host did not: {{reason}}',
    unprovisionedTitle: 'This lane is not connected yet',
  },
  palmAccess: {
    automatic: 'Demo store: lanes are approved for palm pay automatically.',
    approved: 'This lane was approved for palm pay by {{name}}.',
    waiting:
      'Waiting for a manager to approve this lane for palm pay in the store dashboard. Cash and card work as usual.',
    waitingShort: 'waiting for a manager’s approval',
  },
};

type Strings = typeof en;

const de: Strings = {
  staff: {
    title: 'Freigabe durch die Filialleitung',
    person: 'Filialleitung',
    passcode: 'Code',
    approve: 'Freigeben',
    cancel: 'Abbrechen',
    checking: 'Wird geprüft…',
    wrong_one: 'Falscher Code. Noch {{count}} Versuch, dann wird die Eingabe gesperrt.',
    wrong_other: 'Falscher Code. Noch {{count}} Versuche, dann wird die Eingabe gesperrt.',
    lockedSeconds: 'Zu viele falsche Codes. Die Eingabe ist für {{seconds}} s gesperrt.',
    lockedMinutes: 'Zu viele falsche Codes. Die Eingabe ist für {{minutes}} min gesperrt.',
    noStaff:
      'Diese Kasse hat noch keine Personalliste, daher kann hier niemand etwas freigeben, und es gibt keinen eingebauten Code. Die Liste kommt aus der Filial-Cloud, sobald die Kasse verbunden ist: Die Filialleitung erzeugt im Filial-Dashboard einen Einrichtungscode und gibt ihn unter Leitung → Kasse mit der Filial-Cloud verbinden ein.',
    noManagers: 'Die Personalliste dieser Kasse enthält keine Filialleitung.',
    approvedBy: 'Freigegeben von {{name}}.',
    purpose: {
      manager: 'Die Leitungsansicht öffnen.',
      store: 'Die Filiale dieser Kasse auf {{name}} umstellen.',
      scanner:
        'Handflächenscanner {{serial}} (Schlüssel {{fingerprint}}) für diese Filiale freigeben.',
    },
    scannerCloud:
      'Die Filial-Cloud prüft den Code und speichert den Scannerschlüssel für die Filiale; dafür muss die Kasse die Cloud erreichen.',
    cloudUnreachable:
      'Für die Freigabe eines Scanners wird die Filial-Cloud benötigt, die diese Kasse gerade nicht erreicht. Bitte erneut versuchen, wenn die Kasse online ist.',
    notConnected:
      'Für die Freigabe eines Scanners wird die Filial-Cloud benötigt: Verbinden Sie zuerst diese Kasse (Leitung → Kasse mit der Filial-Cloud verbinden).',
    hostRefused:
      'Die Filial-Cloud hat den Schlüssel freigegeben, der Scanner-Host aber nicht: {{reason}}',
    unprovisionedTitle: 'Diese Kasse ist noch nicht verbunden',
  },
  palmAccess: {
    automatic: 'Demo-Filiale: Kassen werden automatisch für Handflächenzahlung freigegeben.',
    approved: 'Diese Kasse wurde von {{name}} für Handflächenzahlung freigegeben.',
    waiting:
      'Wartet darauf, dass die Filialleitung diese Kasse im Filial-Dashboard für Handflächenzahlung freigibt. Bar und Karte funktionieren wie gewohnt.',
    waitingShort: 'wartet auf Freigabe der Filialleitung',
  },
};

const ko: Strings = {
  staff: {
    title: '관리자 승인',
    person: '관리자',
    passcode: '암호',
    approve: '승인',
    cancel: '취소',
    checking: '확인 중…',
    wrong_one: '암호가 틀렸습니다. 입력이 잠기기 전까지 {{count}}회 남았습니다.',
    wrong_other: '암호가 틀렸습니다. 입력이 잠기기 전까지 {{count}}회 남았습니다.',
    lockedSeconds: '암호 오류가 너무 많습니다. {{seconds}}초 동안 입력이 잠깁니다.',
    lockedMinutes: '암호 오류가 너무 많습니다. {{minutes}}분 동안 입력이 잠깁니다.',
    noStaff:
      '이 계산대에는 아직 직원 목록이 없어 여기서는 아무도 승인할 수 없으며, 기본 암호도 없습니다. 목록은 계산대가 연결되면 매장 클라우드에서 옵니다. 관리자가 매장 대시보드에서 등록 코드를 발급한 뒤 관리자 → 이 계산대를 매장 클라우드에 연결에서 입력하세요.',
    noManagers: '이 계산대의 직원 목록에 관리자가 없습니다.',
    approvedBy: '{{name}}님이 승인했습니다.',
    purpose: {
      manager: '관리자 화면을 엽니다.',
      store: '이 계산대의 매장을 {{name}}(으)로 바꿉니다.',
      scanner: '이 매장에 손바닥 스캐너 {{serial}}(키 {{fingerprint}})를 승인합니다.',
    },
    scannerCloud:
      '매장 클라우드가 암호를 확인하고 스캐너 키를 매장에 기록하므로, 스캐너 승인에는 클라우드 연결이 필요합니다.',
    cloudUnreachable:
      '스캐너 승인에는 매장 클라우드가 필요하지만 지금은 연결할 수 없습니다. 계산대가 온라인일 때 다시 시도하세요.',
    notConnected:
      '스캐너 승인에는 매장 클라우드가 필요합니다. 먼저 이 계산대를 연결하세요(관리자 → 이 계산대를 매장 클라우드에 연결).',
    hostRefused: '매장 클라우드는 키를 승인했지만 스캐너 호스트가 거부했습니다: {{reason}}',
    unprovisionedTitle: '이 계산대는 아직 연결되지 않았습니다',
  },
  palmAccess: {
    automatic: '데모 매장: 계산대는 손바닥 결제에 자동으로 승인됩니다.',
    approved: '{{name}}님이 이 계산대의 손바닥 결제를 승인했습니다.',
    waiting:
      '관리자가 매장 대시보드에서 이 계산대의 손바닥 결제를 승인하기를 기다리는 중입니다. 현금과 카드는 평소처럼 사용할 수 있습니다.',
    waitingShort: '관리자 승인 대기 중',
  },
};

export const staffStrings = { en, de, ko };
