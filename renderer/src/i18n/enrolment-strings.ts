/**
 * Enrolment and deletion at the lane (renderer/src/enrolment/), one object per language: the
 * `enrol` and `deletion` keys, plus the Shoppers tab under `nav`. Every EnrolProblem has a
 * message under `enrol.problem`.
 */
const en = {
  nav: { shoppers: 'Shoppers' },
  shoppers: {
    title: 'Palm pay shoppers',
    help: 'Enrol a shopper for palm pay at this lane, or delete a shopper’s palm pay data when they ask. Both need the store cloud.',
    enrol: 'Enrol a shopper',
    delete: 'Delete a shopper’s data',
  },
  enrol: {
    title: 'Enrol a shopper',
    steps: {
      consent: 'Consent',
      card: 'Card',
      phone: 'Phone',
      palms: 'Palms',
      done: 'Done',
    },
    consent: {
      lead: 'Read this to the shopper before anything is taken:',
      template:
        'We keep a template of your palm: numbers computed from it by the scanner. We never keep an image of your palm.',
      card: 'Your card is saved by the card processor as a token; we never store your card number.',
      phone:
        'We keep your phone number only as a keyed code for look-up and the last four digits, to confirm it is you.',
      delete:
        'You can delete your data at any time: at any lane with your palm and the last four digits of your phone, or by asking the store.',
      retention: 'If you do not pay by palm for 2 years, your data is deleted automatically.',
      agree: 'The shopper agrees',
    },
    card: {
      lead: 'Ask the shopper to tap or insert their card on the card terminal.',
      waiting: 'Waiting for the card…',
      readAgain: 'Read a card again',
      saved: 'Card saved: {{brand}} •••• {{last4}}',
    },
    phone: {
      label: 'Phone number',
      hint: 'With the country code (+…), or a number of this store’s country ({{country}}).',
      next: 'Continue',
      saved: 'Phone: {{phone}}',
    },
    palms: {
      lead: 'Enrol one palm or both. Each palm needs {{count}} good captures.',
      left: 'Left palm',
      right: 'Right palm',
      captureLeft: 'Capture left palm',
      captureRight: 'Capture right palm',
      again: 'Capture again',
      progress: '{{good}} of {{count}} captures',
      complete: 'Captured ✓',
      hold: 'Hold the {{hand}} palm flat over the scanner (capture {{n}} of {{count}}).',
      handLeft: 'left',
      handRight: 'right',
      finish: 'Finish enrolment',
    },
    age: {
      title: 'Age check',
      none: 'Not age-verified.',
      verified: 'Age-verified {{age}}+ by {{who}} at {{at}}.',
      verify18: 'ID checked: 18+',
      verify21: 'ID checked: 21+',
      purpose:
        'Confirm you checked the shopper’s ID: {{age}}+. Only the minimum age is kept, with your name and the time — never the date of birth.',
      dialogTitle: 'Attendant approval',
    },
    saving: 'Saving with the store cloud…',
    duplicate: {
      title: 'This palm is already enrolled',
      lead: 'This palm belongs to a shopper who is already enrolled ({{ref}}). Update that shopper instead (their card, phone and palms are replaced)?',
      digits: 'Last four digits of the phone that shopper enrolled with',
      update: 'Update that shopper',
    },
    done: {
      title: 'Shopper enrolled',
      updated: 'Shopper updated',
      lead: 'Shopper {{ref}} can pay by palm at every lane of this store after its next sync.',
      close: 'Done',
    },
    cancelled: 'Enrolment cancelled. Nothing was saved.',
    cancel: 'Cancel enrolment',
    problem: {
      offline:
        'Enrolment needs the store cloud, and this lane cannot reach it now. Nothing was saved.',
      'card-declined': 'The card could not be saved (declined). Ask for another card.',
      'card-unavailable': 'The card processor did not answer. Try the card again, or another card.',
      'card-cancelled': 'The card read was cancelled or timed out. Read a card again.',
      'phone-empty': 'Type the shopper’s phone number.',
      'phone-invalid': 'That is not a valid phone number. Check the digits and the country code.',
      'phone-too-long': 'That phone number is too long.',
      'capture-quality':
        'That capture was not clear enough. Hold the palm flat and still, a hand’s width above the scanner.',
      'capture-liveness':
        'The scanner could not confirm a live hand. Present the real palm, not a picture.',
      'capture-format': 'The scanner sent a template this lane cannot use.',
      'capture-inconsistent':
        'That capture does not match the earlier ones of this palm: this palm starts again.',
      'capture-device': 'The palm scanner failed. Check it in the status bar and try again.',
      'capture-timeout': 'No palm was presented in time. Capture this palm again.',
      'palm-too-many-tries': 'Too many tries for this palm. Start this palm again.',
      'cloud-unreachable':
        'The store cloud could not be reached. Nothing was saved; try again when the lane is online.',
      'cloud-refused': 'The store cloud refused the enrolment. Nothing was saved.',
      'captures-refused':
        'The store cloud refused the palm captures (is this scanner approved for the store?). Capture the palms again.',
      'age-refused': 'The age check was not accepted (wrong staff passcode). Check the ID again.',
      'confirm-failed': 'Those digits do not match that shopper’s phone number.',
      'duplicate-other-palm': 'That was the same palm as the other one. Present the other hand.',
    },
  },
  deletion: {
    title: 'Delete a shopper’s data',
    lead: 'The shopper’s palm templates, card token and phone are deleted from the store cloud; every lane stops recognising the palm after its next sync.',
    byPalm: 'The shopper is here (palm and phone digits)',
    byManager: 'A manager acts on a request',
    present: 'Ask the shopper to hold their palm over the scanner.',
    capture: 'Capture the palm',
    notEnrolled: 'This palm is not enrolled at this store.',
    recognised: 'Palm recognised. Ask the shopper for the last four digits of their phone number.',
    digits: 'Last four digits of the phone',
    ref: 'Shopper reference (cus_…)',
    confirm: 'Delete the data',
    managerPurpose: 'Delete shopper {{ref}}’s palm pay data at their request.',
    done: 'Deleted. Shopper {{ref}} is no longer recognised at any lane after its next sync.',
    pending:
      'Deletion requested for {{ref}}: the palm is no longer recognised after the next sync; the rest is erased once their stored payments have settled (by {{at}}).',
    notConfirmed:
      'The palm and the digits do not confirm an enrolled shopper. Nothing was deleted.',
    notFound: 'No such shopper is enrolled in this store.',
    refused: 'The store cloud refused: {{message}}',
    unreachable: 'The store cloud could not be reached. Nothing was deleted.',
    noMatcher: 'Palm pay is not ready at this lane (the store’s shard is not loaded).',
    badRef: 'A shopper reference looks like cus_ followed by letters and digits.',
    close: 'Close',
  },
};
type Strings = typeof en;

const de: Strings = {
  nav: { shoppers: 'Kunden' },
  shoppers: {
    title: 'Palm-Pay-Kunden',
    help: 'Einen Kunden an dieser Kasse für Palm Pay registrieren oder seine Palm-Pay-Daten auf Wunsch löschen. Beides braucht die Filial-Cloud.',
    enrol: 'Kunden registrieren',
    delete: 'Kundendaten löschen',
  },
  enrol: {
    title: 'Kunden registrieren',
    steps: {
      consent: 'Einwilligung',
      card: 'Karte',
      phone: 'Telefon',
      palms: 'Handflächen',
      done: 'Fertig',
    },
    consent: {
      lead: 'Lesen Sie dies dem Kunden vor, bevor etwas erfasst wird:',
      template:
        'Wir speichern eine Vorlage Ihrer Handfläche: Zahlen, die der Scanner daraus berechnet. Ein Bild Ihrer Handfläche speichern wir nie.',
      card: 'Ihre Karte speichert der Zahlungsdienstleister als Token; Ihre Kartennummer speichern wir nie.',
      phone:
        'Ihre Telefonnummer speichern wir nur als verschlüsselten Suchcode und die letzten vier Ziffern, um Sie zu bestätigen.',
      delete:
        'Sie können Ihre Daten jederzeit löschen: an jeder Kasse mit Ihrer Handfläche und den letzten vier Ziffern Ihrer Telefonnummer, oder auf Anfrage in der Filiale.',
      retention:
        'Zahlen Sie 2 Jahre lang nicht per Handfläche, werden Ihre Daten automatisch gelöscht.',
      agree: 'Der Kunde willigt ein',
    },
    card: {
      lead: 'Bitten Sie den Kunden, seine Karte am Kartenterminal aufzulegen oder einzustecken.',
      waiting: 'Warte auf die Karte…',
      readAgain: 'Karte erneut lesen',
      saved: 'Karte gespeichert: {{brand}} •••• {{last4}}',
    },
    phone: {
      label: 'Telefonnummer',
      hint: 'Mit Landesvorwahl (+…) oder eine Nummer aus dem Land dieser Filiale ({{country}}).',
      next: 'Weiter',
      saved: 'Telefon: {{phone}}',
    },
    palms: {
      lead: 'Eine oder beide Handflächen registrieren. Jede braucht {{count}} gute Aufnahmen.',
      left: 'Linke Handfläche',
      right: 'Rechte Handfläche',
      captureLeft: 'Linke Handfläche erfassen',
      captureRight: 'Rechte Handfläche erfassen',
      again: 'Erneut erfassen',
      progress: '{{good}} von {{count}} Aufnahmen',
      complete: 'Erfasst ✓',
      hold: 'Die {{hand}} Handfläche flach über den Scanner halten (Aufnahme {{n}} von {{count}}).',
      handLeft: 'linke',
      handRight: 'rechte',
      finish: 'Registrierung abschließen',
    },
    age: {
      title: 'Altersprüfung',
      none: 'Alter nicht geprüft.',
      verified: 'Alter {{age}}+ geprüft von {{who}} um {{at}}.',
      verify18: 'Ausweis geprüft: 18+',
      verify21: 'Ausweis geprüft: 21+',
      purpose:
        'Bestätigen Sie, dass Sie den Ausweis geprüft haben: {{age}}+. Gespeichert wird nur das Mindestalter mit Ihrem Namen und der Uhrzeit – nie das Geburtsdatum.',
      dialogTitle: 'Freigabe durch Mitarbeiter',
    },
    saving: 'Wird in der Filial-Cloud gespeichert…',
    duplicate: {
      title: 'Diese Handfläche ist bereits registriert',
      lead: 'Diese Handfläche gehört einem bereits registrierten Kunden ({{ref}}). Stattdessen diesen Kunden aktualisieren (Karte, Telefon und Handflächen werden ersetzt)?',
      digits: 'Letzte vier Ziffern der Telefonnummer, mit der dieser Kunde registriert ist',
      update: 'Diesen Kunden aktualisieren',
    },
    done: {
      title: 'Kunde registriert',
      updated: 'Kunde aktualisiert',
      lead: 'Kunde {{ref}} kann nach der nächsten Synchronisierung an jeder Kasse dieser Filiale per Handfläche zahlen.',
      close: 'Fertig',
    },
    cancelled: 'Registrierung abgebrochen. Nichts wurde gespeichert.',
    cancel: 'Registrierung abbrechen',
    problem: {
      offline:
        'Die Registrierung braucht die Filial-Cloud, und diese Kasse erreicht sie gerade nicht. Nichts wurde gespeichert.',
      'card-declined':
        'Die Karte konnte nicht gespeichert werden (abgelehnt). Bitten Sie um eine andere Karte.',
      'card-unavailable':
        'Der Zahlungsdienstleister antwortet nicht. Karte erneut versuchen oder eine andere Karte.',
      'card-cancelled':
        'Das Lesen der Karte wurde abgebrochen oder hat zu lange gedauert. Karte erneut lesen.',
      'phone-empty': 'Geben Sie die Telefonnummer des Kunden ein.',
      'phone-invalid': 'Das ist keine gültige Telefonnummer. Ziffern und Landesvorwahl prüfen.',
      'phone-too-long': 'Diese Telefonnummer ist zu lang.',
      'capture-quality':
        'Die Aufnahme war nicht deutlich genug. Die Handfläche flach und ruhig eine Handbreit über den Scanner halten.',
      'capture-liveness':
        'Der Scanner konnte keine echte Hand bestätigen. Die echte Handfläche zeigen, kein Bild.',
      'capture-format':
        'Der Scanner hat eine Vorlage gesendet, die diese Kasse nicht verwenden kann.',
      'capture-inconsistent':
        'Diese Aufnahme passt nicht zu den vorigen dieser Handfläche: diese Handfläche beginnt neu.',
      'capture-device':
        'Der Handflächenscanner ist ausgefallen. In der Statusleiste prüfen und erneut versuchen.',
      'capture-timeout':
        'Es wurde keine Handfläche rechtzeitig gezeigt. Diese Handfläche erneut erfassen.',
      'palm-too-many-tries':
        'Zu viele Versuche für diese Handfläche. Diese Handfläche neu beginnen.',
      'cloud-unreachable':
        'Die Filial-Cloud war nicht erreichbar. Nichts wurde gespeichert; erneut versuchen, wenn die Kasse online ist.',
      'cloud-refused':
        'Die Filial-Cloud hat die Registrierung abgelehnt. Nichts wurde gespeichert.',
      'captures-refused':
        'Die Filial-Cloud hat die Aufnahmen abgelehnt (ist dieser Scanner für die Filiale freigegeben?). Die Handflächen erneut erfassen.',
      'age-refused':
        'Die Altersprüfung wurde nicht angenommen (falscher Mitarbeiter-Code). Ausweis erneut prüfen.',
      'confirm-failed': 'Diese Ziffern passen nicht zur Telefonnummer dieses Kunden.',
      'duplicate-other-palm':
        'Das war dieselbe Handfläche wie die andere. Bitte die andere Hand zeigen.',
    },
  },
  deletion: {
    title: 'Kundendaten löschen',
    lead: 'Handflächenvorlagen, Karten-Token und Telefon des Kunden werden aus der Filial-Cloud gelöscht; jede Kasse erkennt die Handfläche nach ihrer nächsten Synchronisierung nicht mehr.',
    byPalm: 'Der Kunde ist da (Handfläche und Telefonziffern)',
    byManager: 'Eine Filialleitung bearbeitet eine Anfrage',
    present: 'Bitten Sie den Kunden, seine Handfläche über den Scanner zu halten.',
    capture: 'Handfläche erfassen',
    notEnrolled: 'Diese Handfläche ist in dieser Filiale nicht registriert.',
    recognised: 'Handfläche erkannt. Fragen Sie nach den letzten vier Ziffern der Telefonnummer.',
    digits: 'Letzte vier Ziffern der Telefonnummer',
    ref: 'Kundenreferenz (cus_…)',
    confirm: 'Daten löschen',
    managerPurpose: 'Palm-Pay-Daten von Kunde {{ref}} auf dessen Anfrage löschen.',
    done: 'Gelöscht. Kunde {{ref}} wird nach der nächsten Synchronisierung an keiner Kasse mehr erkannt.',
    pending:
      'Löschung für {{ref}} beantragt: Die Handfläche wird nach der nächsten Synchronisierung nicht mehr erkannt; der Rest wird gelöscht, sobald gespeicherte Zahlungen abgerechnet sind (bis {{at}}).',
    notConfirmed:
      'Handfläche und Ziffern bestätigen keinen registrierten Kunden. Nichts wurde gelöscht.',
    notFound: 'In dieser Filiale ist kein solcher Kunde registriert.',
    refused: 'Die Filial-Cloud hat abgelehnt: {{message}}',
    unreachable: 'Die Filial-Cloud war nicht erreichbar. Nichts wurde gelöscht.',
    noMatcher:
      'Palm Pay ist an dieser Kasse nicht bereit (der Shard der Filiale ist nicht geladen).',
    badRef: 'Eine Kundenreferenz beginnt mit cus_, gefolgt von Buchstaben und Ziffern.',
    close: 'Schließen',
  },
};

const ko: Strings = {
  nav: { shoppers: '고객' },
  shoppers: {
    title: '손바닥 결제 고객',
    help: '이 계산대에서 고객을 손바닥 결제에 등록하거나, 고객이 요청하면 손바닥 결제 정보를 삭제합니다. 둘 다 매장 클라우드가 필요합니다.',
    enrol: '고객 등록',
    delete: '고객 정보 삭제',
  },
  enrol: {
    title: '고객 등록',
    steps: {
      consent: '동의',
      card: '카드',
      phone: '전화',
      palms: '손바닥',
      done: '완료',
    },
    consent: {
      lead: '무엇이든 받기 전에 고객에게 읽어 주세요:',
      template:
        '손바닥 템플릿, 즉 스캐너가 손바닥에서 계산한 숫자만 보관합니다. 손바닥 이미지는 절대 보관하지 않습니다.',
      card: '카드는 결제 대행사가 토큰으로 저장하며, 카드 번호는 저희가 절대 저장하지 않습니다.',
      phone: '전화번호는 조회용 암호 코드와 본인 확인용 마지막 네 자리로만 보관합니다.',
      delete:
        '언제든지 정보를 삭제할 수 있습니다: 아무 계산대에서 손바닥과 전화번호 마지막 네 자리로, 또는 매장에 요청하여.',
      retention: '2년 동안 손바닥으로 결제하지 않으면 정보가 자동으로 삭제됩니다.',
      agree: '고객이 동의합니다',
    },
    card: {
      lead: '고객에게 카드 단말기에 카드를 대거나 꽂아 달라고 하세요.',
      waiting: '카드를 기다리는 중…',
      readAgain: '카드 다시 읽기',
      saved: '카드 저장됨: {{brand}} •••• {{last4}}',
    },
    phone: {
      label: '전화번호',
      hint: '국가 번호(+…)와 함께, 또는 이 매장 국가({{country}})의 번호.',
      next: '계속',
      saved: '전화: {{phone}}',
    },
    palms: {
      lead: '한쪽 또는 양쪽 손바닥을 등록하세요. 손바닥마다 좋은 캡처 {{count}}번이 필요합니다.',
      left: '왼쪽 손바닥',
      right: '오른쪽 손바닥',
      captureLeft: '왼쪽 손바닥 캡처',
      captureRight: '오른쪽 손바닥 캡처',
      again: '다시 캡처',
      progress: '캡처 {{count}}번 중 {{good}}번',
      complete: '캡처 완료 ✓',
      hold: '{{hand}} 손바닥을 스캐너 위에 평평하게 대세요 (캡처 {{count}}번 중 {{n}}번째).',
      handLeft: '왼쪽',
      handRight: '오른쪽',
      finish: '등록 완료',
    },
    age: {
      title: '연령 확인',
      none: '연령 미확인.',
      verified: '{{who}}님이 {{at}}에 {{age}}세 이상 확인.',
      verify18: '신분증 확인: 18세 이상',
      verify21: '신분증 확인: 21세 이상',
      purpose:
        '고객의 신분증을 확인했음을 승인하세요: {{age}}세 이상. 최소 연령과 확인자 이름, 시간만 보관하며 생년월일은 절대 보관하지 않습니다.',
      dialogTitle: '직원 승인',
    },
    saving: '매장 클라우드에 저장하는 중…',
    duplicate: {
      title: '이미 등록된 손바닥입니다',
      lead: '이 손바닥은 이미 등록된 고객({{ref}})의 것입니다. 대신 그 고객 정보를 업데이트할까요 (카드, 전화, 손바닥이 교체됩니다)?',
      digits: '그 고객이 등록한 전화번호의 마지막 네 자리',
      update: '그 고객 업데이트',
    },
    done: {
      title: '고객 등록 완료',
      updated: '고객 업데이트 완료',
      lead: '고객 {{ref}}님은 다음 동기화 후 이 매장의 모든 계산대에서 손바닥으로 결제할 수 있습니다.',
      close: '완료',
    },
    cancelled: '등록이 취소되었습니다. 아무것도 저장되지 않았습니다.',
    cancel: '등록 취소',
    problem: {
      offline:
        '등록에는 매장 클라우드가 필요한데 지금 이 계산대에서 연결할 수 없습니다. 아무것도 저장되지 않았습니다.',
      'card-declined': '카드를 저장할 수 없습니다(거절됨). 다른 카드를 요청하세요.',
      'card-unavailable':
        '결제 대행사가 응답하지 않습니다. 카드를 다시 시도하거나 다른 카드를 사용하세요.',
      'card-cancelled': '카드 읽기가 취소되었거나 시간이 초과되었습니다. 카드를 다시 읽으세요.',
      'phone-empty': '고객의 전화번호를 입력하세요.',
      'phone-invalid': '올바른 전화번호가 아닙니다. 숫자와 국가 번호를 확인하세요.',
      'phone-too-long': '전화번호가 너무 깁니다.',
      'capture-quality':
        '캡처가 충분히 선명하지 않았습니다. 손바닥을 스캐너 위 한 뼘 높이에서 평평하고 움직이지 않게 대세요.',
      'capture-liveness':
        '스캐너가 실제 손을 확인하지 못했습니다. 사진이 아닌 실제 손바닥을 대세요.',
      'capture-format': '스캐너가 이 계산대에서 사용할 수 없는 템플릿을 보냈습니다.',
      'capture-inconsistent':
        '이 캡처가 이 손바닥의 이전 캡처와 맞지 않아 이 손바닥을 처음부터 다시 합니다.',
      'capture-device':
        '손바닥 스캐너에 문제가 있습니다. 상태 표시줄에서 확인하고 다시 시도하세요.',
      'capture-timeout': '제시간에 손바닥이 제시되지 않았습니다. 이 손바닥을 다시 캡처하세요.',
      'palm-too-many-tries': '이 손바닥의 시도 횟수가 너무 많습니다. 이 손바닥을 다시 시작하세요.',
      'cloud-unreachable':
        '매장 클라우드에 연결할 수 없습니다. 아무것도 저장되지 않았습니다. 계산대가 온라인일 때 다시 시도하세요.',
      'cloud-refused': '매장 클라우드가 등록을 거부했습니다. 아무것도 저장되지 않았습니다.',
      'captures-refused':
        '매장 클라우드가 손바닥 캡처를 거부했습니다(이 스캐너가 매장에 승인되었나요?). 손바닥을 다시 캡처하세요.',
      'age-refused':
        '연령 확인이 받아들여지지 않았습니다(직원 비밀번호 오류). 신분증을 다시 확인하세요.',
      'confirm-failed': '그 숫자는 그 고객의 전화번호와 맞지 않습니다.',
      'duplicate-other-palm': '다른 쪽과 같은 손바닥이었습니다. 다른 손을 대세요.',
    },
  },
  deletion: {
    title: '고객 정보 삭제',
    lead: '고객의 손바닥 템플릿, 카드 토큰, 전화번호가 매장 클라우드에서 삭제되며, 모든 계산대는 다음 동기화 후 그 손바닥을 인식하지 않습니다.',
    byPalm: '고객이 있습니다 (손바닥과 전화번호 숫자)',
    byManager: '관리자가 요청을 처리합니다',
    present: '고객에게 손바닥을 스캐너 위에 대 달라고 하세요.',
    capture: '손바닥 캡처',
    notEnrolled: '이 손바닥은 이 매장에 등록되어 있지 않습니다.',
    recognised: '손바닥을 인식했습니다. 고객에게 전화번호 마지막 네 자리를 물어보세요.',
    digits: '전화번호 마지막 네 자리',
    ref: '고객 참조 번호 (cus_…)',
    confirm: '정보 삭제',
    managerPurpose: '고객 {{ref}}님의 요청에 따라 손바닥 결제 정보를 삭제합니다.',
    done: '삭제되었습니다. 고객 {{ref}}님은 다음 동기화 후 어느 계산대에서도 인식되지 않습니다.',
    pending:
      '{{ref}}님의 삭제가 요청되었습니다: 다음 동기화 후 손바닥이 인식되지 않으며, 나머지는 저장된 결제가 정산되면({{at}}까지) 지워집니다.',
    notConfirmed: '손바닥과 숫자로 등록된 고객을 확인할 수 없습니다. 아무것도 삭제되지 않았습니다.',
    notFound: '이 매장에 그런 고객은 등록되어 있지 않습니다.',
    refused: '매장 클라우드가 거부했습니다: {{message}}',
    unreachable: '매장 클라우드에 연결할 수 없습니다. 아무것도 삭제되지 않았습니다.',
    noMatcher: '이 계산대에서 손바닥 결제가 준비되지 않았습니다(매장 샤드가 로드되지 않음).',
    badRef: '고객 참조 번호는 cus_ 뒤에 영문자와 숫자가 옵니다.',
    close: '닫기',
  },
};

export const enrolmentStrings = { en, de, ko };
