"""The demo catalogue: social services as Moscow's lists of social services name them (the lists
approved under 442-FZ, grouped by the kinds of art. 20), with English names, a regime, a unit,
a standard duration and a tariff. The tariffs are plausible examples in roubles, not the
city's figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HOME, SEMI, RESIDENTIAL = "home", "semi_residential", "residential"
_FORMS = {"H": HOME, "S": SEMI, "R": RESIDENTIAL}


@dataclass(frozen=True)
class DemoService:
    code: str
    kind: str
    forms: tuple[str, ...]
    regime: str  # "permanent", "one_time" or "periodic"
    times: int | None
    per: str
    unit: str
    minutes: int
    price: Decimal  # the tariff for every form from the current year
    urgent: bool
    name: str
    name_en: str
    description: str
    description_en: str


def _service(
    code: str,
    kind: str,
    forms: str,
    regime: str,
    unit: str,
    minutes: int,
    price: str,
    name: str,
    name_en: str,
    description: str,
    description_en: str,
    *,
    urgent: bool = False,
) -> DemoService:
    """``forms`` as letters (H home, S semi-residential, R residential); ``regime`` as
    "permanent", "once" or "2/week"."""
    times, per = None, ""
    if "/" in regime:
        count, per = regime.split("/")
        times, regime = int(count), "periodic"
    elif regime == "once":
        regime = "one_time"
    return DemoService(
        code=code,
        kind=kind,
        forms=tuple(_FORMS[letter] for letter in forms),
        regime=regime,
        times=times,
        per=per,
        unit=unit,
        minutes=minutes,
        price=Decimal(price),
        urgent=urgent,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
    )


HH, MED, PSY, PED, LAB, LEG, COM, URG = (
    "social-household",
    "social-medical",
    "social-psychological",
    "social-pedagogical",
    "social-labour",
    "social-legal",
    "communicative",
    "urgent",
)

# A table, one service per call, kept compact on purpose.
# fmt: off
SERVICES: tuple[DemoService, ...] = (
    # --- Social-household -----------------------------------------------------------------
    _service(
        "1.01", HH, "H", "2/week", "service", 60, "228.00",
        "Покупка за счёт средств получателя социальных услуг и доставка на дом продуктов "
        "питания, промышленных товаров первой необходимости, средств санитарии и гигиены, "
        "средств ухода, книг, газет, журналов",
        "Buying, at the recipient's expense, and delivering home food, basic household goods, "
        "hygiene and care products, books, newspapers and magazines",
        "Социальный работник покупает товары по списку получателя в ближайших магазинах и "
        "доставляет их на дом, отчитываясь чеками.",
        "The social worker buys goods from the recipient's list in nearby shops and delivers "
        "them home, accounting for the money with receipts.",
    ),
    _service(
        "1.02", HH, "H", "3/week", "service", 40, "180.00",
        "Помощь в приготовлении пищи",
        "Help with cooking",
        "Подготовка продуктов, приготовление блюд из продуктов получателя с учётом его диеты.",
        "Preparing ingredients and cooking meals from the recipient's food, following the "
        "recipient's diet.",
    ),
    _service(
        "1.03", HH, "HSR", "3/day", "service", 30, "145.00",
        "Помощь в приёме пищи (кормление)",
        "Help with eating (feeding)",
        "Кормление получателя, не способного принимать пищу самостоятельно.",
        "Feeding a recipient who cannot eat unaided.",
    ),
    _service(
        "1.04", HH, "H", "1/month", "service", 30, "120.00",
        "Оплата за счёт средств получателя социальных услуг жилищно-коммунальных услуг и "
        "услуг связи",
        "Paying, at the recipient's expense, for housing, utilities and communication services",
        "Снятие показаний счётчиков, заполнение квитанций и оплата их в отделении банка или "
        "онлайн.",
        "Reading the meters, filling in the bills and paying them at a bank or online.",
    ),
    _service(
        "1.05", HH, "H", "2/month", "service", 60, "150.00",
        "Сдача за счёт средств получателя социальных услуг вещей в стирку, химчистку, ремонт и "
        "обратная их доставка",
        "Taking things to the laundry, dry cleaning or repair at the recipient's expense and "
        "bringing them back",
        "Сбор вещей, доставка в приёмный пункт и возврат получателю.",
        "Collecting the things, taking them to the service point and returning them.",
    ),
    _service(
        "1.06", HH, "H", "2/week", "service", 60, "210.00",
        "Покупка за счёт средств получателя социальных услуг топлива, топка печей, "
        "обеспечение водой (в жилых помещениях без центрального отопления и (или) "
        "водоснабжения)",
        "Buying fuel at the recipient's expense, heating stoves and bringing water (in homes "
        "without central heating or water supply)",
        "Для получателей, живущих в домах без центрального отопления или водопровода.",
        "For recipients living in houses without central heating or running water.",
    ),
    _service(
        "1.07", HH, "H", "once", "service", 60, "150.00",
        "Организация помощи в проведении ремонта жилых помещений",
        "Arranging help with repairs of the home",
        "Поиск подрядчика, согласование сметы и контроль выполнения работ.",
        "Finding a contractor, agreeing the estimate and checking the work.",
    ),
    _service(
        "1.08", HH, "H", "1/week", "hour", 60, "260.00",
        "Уборка жилых помещений",
        "Cleaning of living quarters",
        "Влажная уборка, вынос мусора, мытьё посуды в занимаемых получателем помещениях.",
        "Wet cleaning, taking out rubbish and washing up in the rooms the recipient uses.",
    ),
    _service(
        "1.09", HH, "HS", "2/week", "hour", 60, "300.00",
        "Обеспечение кратковременного присмотра за детьми",
        "Short-term supervision of children",
        "Присмотр за детьми, пока родители получают услуги или решают неотложные дела.",
        "Looking after children while the parents receive services or see to urgent matters.",
    ),
    _service(
        "1.10", HH, "HSR", "3/week", "service", 30, "190.00",
        "Предоставление гигиенических услуг лицам, не способным по состоянию здоровья "
        "самостоятельно осуществлять за собой уход",
        "Hygiene services for people unable to care for themselves because of their health",
        "Умывание, обтирание, смена белья, стрижка ногтей, помощь в пользовании туалетом.",
        "Washing, sponging, changing linen, cutting nails and help with using the toilet.",
    ),
    _service(
        "1.11", HH, "H", "2/month", "service", 30, "90.00",
        "Отправка за счёт средств получателя социальных услуг почтовой корреспонденции",
        "Sending post at the recipient's expense",
        "Отправка писем, телеграмм и посылок через отделение почтовой связи.",
        "Sending letters, telegrams and parcels at the post office.",
    ),
    _service(
        "1.12", HH, "HSR", "once", "service", 120, "450.00",
        "Помощь в организации ритуальных услуг",
        "Help in arranging funeral services",
        "Для получателей без родственников или при их отказе: оформление документов и заказ "
        "ритуальных услуг.",
        "For recipients without relatives, or when they refuse: the papers and ordering the "
        "funeral services.",
    ),
    _service(
        "1.13", HH, "H", "2/month", "hour", 60, "270.00",
        "Сопровождение получателя социальных услуг вне дома, в том числе к врачу",
        "Accompanying the recipient outside the home, including to a doctor",
        "Сопровождение на прогулке, в поликлинику, в учреждения и организации.",
        "Going with the recipient for a walk, to the clinic or to offices.",
    ),
    _service(
        "1.14", HH, "R", "permanent", "day", 1440, "1450.00",
        "Предоставление площади жилых помещений согласно утверждённым нормативам",
        "Providing living space according to approved standards",
        "Жилая комната с мебелью по нормативам стационарного учреждения.",
        "A furnished room according to the standards of a residential institution.",
    ),
    _service(
        "1.15", HH, "SR", "permanent", "day", 90, "420.00",
        "Обеспечение питанием согласно утверждённым нормативам",
        "Providing meals according to approved standards",
        "Питание по нормам, в том числе диетическое по назначению врача.",
        "Meals according to the norms, including a diet prescribed by a doctor.",
    ),
    _service(
        "1.16", HH, "R", "permanent", "day", 30, "95.00",
        "Обеспечение мягким инвентарём (одеждой, обувью, нательным бельём и постельными "
        "принадлежностями) согласно утверждённым нормативам",
        "Providing clothes, shoes, underwear and bedding according to approved standards",
        "Выдача и замена мягкого инвентаря по нормативам.",
        "Issuing and replacing clothes and bedding according to the norms.",
    ),
    _service(
        "1.17", HH, "SR", "1/week", "service", 20, "40.00",
        "Обеспечение за счёт средств получателя социальных услуг книгами, журналами, газетами, "
        "настольными играми",
        "Providing books, magazines, newspapers and board games at the recipient's expense",
        "Подписка на периодические издания и выдача книг и игр.",
        "Subscriptions to periodicals and lending books and games.",
    ),
    _service(
        "1.18", HH, "HSR", "2/month", "service", 30, "110.00",
        "Помощь в написании и прочтении писем",
        "Help with writing and reading letters",
        "Чтение корреспонденции вслух и запись писем под диктовку.",
        "Reading post aloud and writing letters from dictation.",
    ),
    _service(
        "1.19", HH, "R", "1/week", "service", 60, "160.00",
        "Стирка, глажение, ремонт нательного белья, одежды, постельных принадлежностей",
        "Washing, ironing and mending underwear, clothes and bedding",
        "Стирка и глажение в прачечной учреждения, мелкий ремонт одежды.",
        "Washing and ironing in the institution's laundry and small repairs of clothes.",
    ),
    _service(
        "1.20", HH, "R", "1/week", "service", 15, "50.00",
        "Помощь в пользовании телефонной связью и почтовыми услугами",
        "Help with using the telephone and postal services",
        "Набор номера, помощь в разговоре по телефону, получение почты.",
        "Dialling, help with a telephone conversation and collecting the post.",
    ),
    # --- Social-medical -------------------------------------------------------------------
    _service(
        "2.01", MED, "HSR", "3/week", "service", 15, "95.00",
        "Измерение температуры тела, артериального давления, контроль за приёмом лекарств",
        "Measuring body temperature and blood pressure, supervising the taking of medicines",
        "Измерение показателей, запись в дневник наблюдения, контроль приёма лекарств по "
        "назначению врача.",
        "Taking the measurements, writing them in the observation diary and checking that "
        "medicines are taken as prescribed.",
    ),
    _service(
        "2.02", MED, "HSR", "3/week", "service", 20, "140.00",
        "Выполнение процедур, связанных с сохранением здоровья получателей социальных услуг "
        "(закапывание капель, наложение компрессов, перевязка, обработка пролежней)",
        "Procedures to keep the recipient healthy (eye drops, compresses, dressings, care of "
        "bedsores)",
        "Процедуры по назначению врача, выполняемые обученным работником.",
        "Procedures prescribed by a doctor, done by a trained worker.",
    ),
    _service(
        "2.03", MED, "SR", "2/week", "service", 45, "160.00",
        "Проведение оздоровительных мероприятий",
        "Health-improving activities",
        "Прогулки, закаливание, дыхательная гимнастика, занятия в зоне здоровья.",
        "Walks, hardening, breathing exercises and sessions in the health zone.",
    ),
    _service(
        "2.04", MED, "SR", "1/day", "service", 15, "70.00",
        "Систематическое наблюдение за получателями социальных услуг в целях выявления "
        "отклонений в состоянии их здоровья",
        "Regular observation of recipients to detect changes in their health",
        "Ежедневный осмотр и опрос о самочувствии с записью в журнал.",
        "A daily check and questions about well-being, written in the log.",
    ),
    _service(
        "2.05", MED, "HSR", "1/month", "service", 30, "180.00",
        "Консультирование по социально-медицинским вопросам (поддержание и сохранение "
        "здоровья, проведение оздоровительных мероприятий, выявление отклонений в состоянии "
        "здоровья)",
        "Counselling on social-medical questions (keeping healthy, health-improving activities, "
        "detecting changes in health)",
        "Консультация медицинского работника учреждения.",
        "A consultation with the institution's medical worker.",
    ),
    _service(
        "2.06", MED, "SR", "1/week", "service", 45, "150.00",
        "Проведение занятий, обучающих здоровому образу жизни",
        "Classes teaching a healthy lifestyle",
        "Групповые занятия о питании, движении и профилактике заболеваний.",
        "Group classes on food, exercise and preventing illness.",
    ),
    _service(
        "2.07", MED, "SR", "2/week", "service", 45, "210.00",
        "Проведение занятий по адаптивной физической культуре",
        "Adaptive physical education classes",
        "Лечебная физкультура (ЛФК) в группе или индивидуально под руководством инструктора.",
        "Therapeutic exercise, in a group or alone, led by an instructor.",
    ),
    _service(
        "2.08", MED, "HSR", "once", "service", 120, "390.00",
        "Содействие в проведении медико-социальной экспертизы",
        "Help with the medical and social assessment (of disability)",
        "Сбор документов, запись и сопровождение на освидетельствование.",
        "Gathering the documents, booking and accompanying the recipient to the assessment.",
    ),
    _service(
        "2.09", MED, "HSR", "2/month", "service", 60, "200.00",
        "Содействие в обеспечении по заключению врачей лекарственными препаратами и "
        "медицинскими изделиями",
        "Help in obtaining medicines and medical devices prescribed by doctors",
        "Получение рецептов и лекарств в аптеке, доставка получателю.",
        "Getting prescriptions and medicines from the pharmacy and bringing them to the "
        "recipient.",
    ),
    _service(
        "2.10", MED, "HSR", "once", "service", 120, "420.00",
        "Содействие в госпитализации, сопровождение нуждающихся в медицинские организации",
        "Help with going into hospital and accompanying those in need to medical organisations",
        "Вызов врача, сбор вещей и документов, сопровождение в больницу.",
        "Calling a doctor, packing things and documents and going with the recipient to "
        "hospital.",
        urgent=True,
    ),
    _service(
        "2.11", MED, "HSR", "once", "service", 60, "250.00",
        "Содействие в получении технических средств реабилитации",
        "Help in obtaining technical means of rehabilitation (assistive devices)",
        "Оформление заявки и получение кресла-коляски, ходунков, трости и других средств.",
        "Applying for and collecting a wheelchair, walker, cane or other device.",
    ),
    # --- Social-psychological -------------------------------------------------------------
    _service(
        "3.01", PSY, "HSR", "2/month", "hour", 60, "620.00",
        "Социально-психологическое консультирование, в том числе по вопросам внутрисемейных "
        "отношений",
        "Social-psychological counselling, including on family relations",
        "Беседа с психологом о трудностях получателя и путях их преодоления.",
        "A talk with a psychologist about the recipient's difficulties and ways through them.",
    ),
    _service(
        "3.02", PSY, "HSR", "2/month", "service", 45, "480.00",
        "Психологическая помощь и поддержка, в том числе гражданам, осуществляющим уход на "
        "дому за тяжелобольными получателями социальных услуг",
        "Psychological help and support, including for people caring at home for the "
        "seriously ill",
        "Поддержка получателей и их близких, ухаживающих за тяжелобольными.",
        "Support for recipients and for the relatives caring for the seriously ill.",
        urgent=True,
    ),
    _service(
        "3.03", PSY, "HSR", "1/month", "visit", 60, "520.00",
        "Социально-психологический патронаж",
        "Social-psychological patronage",
        "Регулярные посещения для наблюдения за психологическим состоянием получателя.",
        "Regular visits to follow the recipient's psychological state.",
    ),
    _service(
        "3.04", PSY, "SR", "once", "service", 90, "750.00",
        "Психологическая диагностика и обследование личности",
        "Psychological diagnostics and assessment of the personality",
        "Тестирование и заключение психолога для индивидуальной программы.",
        "Tests and a psychologist's report for the individual programme.",
    ),
    _service(
        "3.05", PSY, "SR", "1/week", "service", 60, "640.00",
        "Психологическая коррекция",
        "Psychological correction",
        "Индивидуальные или групповые занятия по программе коррекции.",
        "Individual or group sessions following a correction programme.",
    ),
    _service(
        "3.06", PSY, "S", "once", "service", 30, "0.00",
        "Оказание консультационной психологической помощи анонимно, в том числе с "
        "использованием телефона доверия",
        "Anonymous psychological counselling, including through a helpline",
        "Консультация без указания имени, по телефону доверия или лично.",
        "Counselling without giving a name, on the helpline or in person.",
        urgent=True,
    ),
    _service(
        "3.07", PSY, "SR", "1/week", "service", 90, "380.00",
        "Проведение психологических тренингов",
        "Psychological trainings",
        "Групповые тренинги общения, уверенности, управления стрессом.",
        "Group trainings in communication, self-confidence and handling stress.",
    ),
    # --- Social-pedagogical ---------------------------------------------------------------
    _service(
        "4.01", PED, "HS", "1/month", "service", 60, "330.00",
        "Обучение практическим навыкам общего ухода за тяжелобольными получателями социальных "
        "услуг, получателями социальных услуг, имеющими ограничения жизнедеятельности, в том "
        "числе за детьми-инвалидами",
        "Teaching relatives practical skills of general care for the seriously ill and people "
        "with disabilities, including disabled children",
        "Занятия для родственников: перемещение, гигиена, профилактика пролежней.",
        "Lessons for relatives: moving the person, hygiene and preventing bedsores.",
    ),
    _service(
        "4.02", PED, "HS", "2/month", "service", 60, "360.00",
        "Организация помощи родителям или законным представителям детей-инвалидов, "
        "воспитываемых дома, в обучении таким детям навыкам самообслуживания, общения и "
        "контроля",
        "Helping parents of disabled children raised at home to teach them self-care, "
        "communication and self-control",
        "Специалист показывает родителям приёмы обучения ребёнка дома.",
        "A specialist shows the parents ways of teaching the child at home.",
    ),
    _service(
        "4.03", PED, "SR", "1/week", "service", 60, "410.00",
        "Социально-педагогическая коррекция, включая диагностику и консультирование",
        "Social-pedagogical correction, including diagnostics and counselling",
        "Занятия педагога по индивидуальной программе коррекции.",
        "Sessions with a teacher following an individual correction programme.",
    ),
    _service(
        "4.04", PED, "SR", "2/week", "service", 60, "170.00",
        "Формирование позитивных интересов (в том числе в сфере досуга)",
        "Developing positive interests (including leisure)",
        "Кружки, клубы по интересам, мастер-классы в гостиных «Моего социального центра».",
        "Clubs, hobby groups and master classes in the lounges of «My Social Centre».",
    ),
    _service(
        "4.05", PED, "SR", "2/month", "service", 120, "230.00",
        "Организация досуга (праздники, экскурсии и другие культурные мероприятия)",
        "Organising leisure (celebrations, excursions and other cultural events)",
        "Праздники, экскурсии, посещение театров и музеев.",
        "Celebrations, excursions and visits to theatres and museums.",
    ),
    _service(
        "4.06", PED, "H", "1/month", "visit", 60, "450.00",
        "Социально-педагогический патронаж семей с детьми",
        "Social-pedagogical patronage of families with children",
        "Посещения семьи специалистом, помощь в воспитании и обучении детей.",
        "Visits to the family by a specialist, help with bringing up and teaching the children.",
    ),
    _service(
        "4.07", PED, "HS", "1/month", "service", 45, "350.00",
        "Консультирование по вопросам воспитания детей и детско-родительских отношений",
        "Counselling on bringing up children and on parent-child relations",
        "Консультация педагога-психолога для родителей.",
        "A consultation with an educational psychologist for the parents.",
    ),
    # --- Social-labour --------------------------------------------------------------------
    _service(
        "5.01", LAB, "SR", "2/week", "service", 60, "280.00",
        "Проведение мероприятий по использованию остаточных трудовых возможностей и обучению "
        "доступным профессиональным навыкам",
        "Activities using remaining working abilities and teaching accessible professional "
        "skills",
        "Занятия в мастерских с учётом состояния здоровья получателя.",
        "Workshop sessions suited to the recipient's health.",
    ),
    _service(
        "5.02", LAB, "HSR", "once", "service", 60, "310.00",
        "Оказание помощи в трудоустройстве",
        "Help in finding a job",
        "Подбор вакансий, помощь в составлении резюме, направление в центр «Моя работа».",
        "Finding vacancies, help with a CV and referral to the «My Work» centre.",
    ),
    _service(
        "5.03", LAB, "SR", "once", "service", 90, "340.00",
        "Организация помощи в получении образования и (или) профессии инвалидами "
        "(детьми-инвалидами) в соответствии с их способностями",
        "Helping people with disabilities (disabled children) to obtain an education or a "
        "profession according to their abilities",
        "Профориентация и содействие в поступлении на обучение.",
        "Career guidance and help with enrolling in education.",
    ),
    _service(
        "5.04", LAB, "SR", "3/week", "hour", 60, "190.00",
        "Трудовая терапия в лечебно-трудовых мастерских",
        "Occupational therapy in therapeutic workshops",
        "Керамика, швейное дело, столярные работы под руководством инструктора.",
        "Pottery, sewing and woodwork led by an instructor.",
    ),
    # --- Social-legal ---------------------------------------------------------------------
    _service(
        "6.01", LEG, "HSR", "once", "service", 60, "290.00",
        "Оказание помощи в оформлении и восстановлении документов получателей социальных "
        "услуг",
        "Help with drawing up and restoring the recipient's documents",
        "Подготовка заявлений, запросов и сопровождение в органы, выдающие документы.",
        "Preparing applications and requests, going with the recipient to the issuing offices.",
        urgent=True,
    ),
    _service(
        "6.02", LEG, "HSR", "once", "service", 60, "260.00",
        "Оказание помощи в получении юридических услуг, в том числе бесплатно",
        "Help in obtaining legal services, including free legal aid",
        "Запись к юристу, в том числе в рамках бесплатной юридической помощи.",
        "Booking a lawyer, including free legal aid.",
    ),
    _service(
        "6.03", LEG, "HSR", "once", "service", 60, "300.00",
        "Оказание помощи в защите прав и законных интересов получателей социальных услуг",
        "Help in protecting the recipient's rights and lawful interests",
        "Подготовка обращений и жалоб, представление интересов получателя.",
        "Preparing letters and complaints and representing the recipient.",
    ),
    _service(
        "6.04", LEG, "HSR", "1/month", "service", 30, "150.00",
        "Консультирование по вопросам, связанным с правом граждан на социальное обслуживание и "
        "получение мер социальной поддержки",
        "Counselling on the right to social services and to social support",
        "Разъяснение прав, условий и порядка получения услуг и мер поддержки.",
        "Explaining rights, conditions and how to obtain services and support.",
    ),
    _service(
        "6.05", LEG, "HSR", "once", "service", 60, "240.00",
        "Содействие в получении установленных законодательством мер социальной поддержки "
        "(льгот, пособий, компенсаций)",
        "Help in obtaining the social support set by law (benefits, allowances, compensations)",
        "Сбор документов и подача заявлений на меры социальной поддержки.",
        "Gathering documents and applying for social support.",
    ),
    # --- Communicative potential ----------------------------------------------------------
    _service(
        "7.01", COM, "HSR", "1/week", "service", 45, "310.00",
        "Обучение инвалидов (детей-инвалидов) пользованию средствами ухода и техническими "
        "средствами реабилитации",
        "Teaching people with disabilities (disabled children) to use care products and "
        "assistive devices",
        "Практические занятия с креслом-коляской, ходунками, слуховыми аппаратами.",
        "Practice with a wheelchair, walker or hearing aids.",
    ),
    _service(
        "7.02", COM, "SR", "3/week", "service", 60, "350.00",
        "Проведение социально-реабилитационных мероприятий в сфере социального обслуживания",
        "Social rehabilitation activities",
        "Мероприятия по индивидуальной программе реабилитации или абилитации.",
        "Activities following the individual rehabilitation or habilitation programme.",
    ),
    _service(
        "7.03", COM, "SR", "2/week", "service", 45, "260.00",
        "Обучение навыкам поведения в быту и общественных местах",
        "Teaching skills of behaviour at home and in public places",
        "Занятия по ориентированию в городе, пользованию транспортом и магазинами.",
        "Lessons in finding one's way in the city, using transport and shops.",
    ),
    _service(
        "7.04", COM, "SR", "1/week", "service", 60, "200.00",
        "Оказание помощи в обучении навыкам компьютерной грамотности",
        "Help in learning computer skills",
        "Занятия по работе с компьютером, смартфоном и порталом государственных услуг.",
        "Lessons in using a computer, a smartphone and the public services portal.",
    ),
    _service(
        "7.05", COM, "SR", "3/week", "service", 45, "280.00",
        "Обучение навыкам самообслуживания, общения и самоконтроля",
        "Teaching self-care, communication and self-control skills",
        "Занятия по индивидуальной программе для получателей с ограничениями "
        "жизнедеятельности.",
        "Lessons following an individual programme for recipients with disabilities.",
    ),
    _service(
        "7.06", COM, "HSR", "once", "hour", 60, "700.00",
        "Услуги по переводу на язык жестов (сурдопереводу)",
        "Sign-language interpreting",
        "Сурдопереводчик сопровождает получателя при обращении в организации.",
        "A sign-language interpreter goes with the recipient to offices and organisations.",
    ),
    _service(
        "7.07", COM, "SR", "2/week", "service", 45, "420.00",
        "Обучение чтению и письму рельефно-точечным шрифтом Брайля",
        "Teaching Braille reading and writing",
        "Занятия тифлопедагога для незрячих и слабовидящих получателей.",
        "Lessons with a teacher of the blind for blind and partially sighted recipients.",
    ),
    # --- Urgent social services (art. 21) -------------------------------------------------
    _service(
        "8.01", URG, "HS", "once", "set", 30, "350.00",
        "Обеспечение бесплатным горячим питанием или наборами продуктов",
        "Free hot meals or food packages",
        "Горячий обед в учреждении или продуктовый набор на дом.",
        "A hot meal at the institution or a food package at home.",
        urgent=True,
    ),
    _service(
        "8.02", URG, "HS", "once", "set", 30, "900.00",
        "Обеспечение одеждой, обувью и другими предметами первой необходимости",
        "Providing clothes, shoes and other essentials",
        "Выдача комплекта одежды и обуви по сезону, средств гигиены.",
        "A set of seasonal clothes and shoes and hygiene products.",
        urgent=True,
    ),
    _service(
        "8.03", URG, "HSR", "once", "service", 120, "600.00",
        "Содействие в получении временного жилого помещения",
        "Help in obtaining temporary accommodation",
        "Направление в кризисное отделение или центр временного проживания.",
        "Referral to a crisis department or a temporary accommodation centre.",
        urgent=True,
    ),
    _service(
        "8.04", URG, "HSR", "once", "service", 60, "330.00",
        "Содействие в получении юридической помощи в целях защиты прав и законных интересов "
        "получателей социальных услуг",
        "Help in obtaining legal aid to protect the recipient's rights and interests",
        "Срочная консультация юриста и подготовка документов.",
        "An urgent consultation with a lawyer and the papers.",
        urgent=True,
    ),
    _service(
        "8.05", URG, "HSR", "once", "service", 60, "650.00",
        "Содействие в получении экстренной психологической помощи с привлечением к этой работе "
        "психологов и священнослужителей",
        "Help in obtaining emergency psychological help, with psychologists and clergy",
        "Экстренная помощь психолога при кризисе, утрате, насилии.",
        "Emergency help from a psychologist in a crisis, after a loss or violence.",
        urgent=True,
    ),
    _service(
        "8.06", URG, "HS", "once", "service", 30, "180.00",
        "Обеспечение во временное пользование техническими средствами реабилитации",
        "Lending assistive devices for temporary use",
        "Выдача кресла-коляски, ходунков или костылей в пункте проката.",
        "Lending a wheelchair, walker or crutches at the hire point.",
        urgent=True,
    ),
    _service(
        "8.07", URG, "HSR", "once", "service", 60, "300.00",
        "Содействие в получении медицинской помощи",
        "Help in obtaining medical care",
        "Вызов врача или скорой помощи, запись в поликлинику.",
        "Calling a doctor or an ambulance, booking the clinic.",
        urgent=True,
    ),
    _service(
        "8.08", URG, "H", "once", "visit", 90, "720.00",
        "Оказание экстренной помощи на дому (выезд мобильной социальной службы)",
        "Emergency help at home (a visit of the mobile social service)",
        "Выезд бригады к гражданину, оказавшемуся в трудной ситуации.",
        "A team visits a person who has found himself in a difficult situation.",
        urgent=True,
    ),
)
# fmt: on

# Residential institutions work at a lower unit cost for a few services.
FORM_TARIFFS = {
    ("1.03", RESIDENTIAL): Decimal("120.00"),
    ("1.10", RESIDENTIAL): Decimal("150.00"),
    ("2.01", RESIDENTIAL): Decimal("70.00"),
    ("2.02", RESIDENTIAL): Decimal("110.00"),
}
