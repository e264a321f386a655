"""The printed documents of casework, as PDF: the decision on recognition as needing social
services, the individual programme of social services (ИППСУ) and the monthly act of
delivered services.

They are legal documents of a Russian body, handed to the person and filed: their wording is
Russian whatever the reader's interface language, so it is written here as the documents' own
text, not as interface strings to translate. A builder collects what a document says
(``Printed``: fields, paragraphs, tables, signatures) from objects the selectors have loaded;
``render`` lays it out with fpdf2 in DejaVu Sans, a free font with the Cyrillic glyphs."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.registry import selectors as registry_selectors

from . import selectors
from .models import Case, NeedDecision, Outcome, Programme, ProgrammeStatus, ServiceAct

FONT = "DejaVuSans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Where distributions put DejaVu (Debian's fonts-dejavu-core first); matplotlib's bundled copy
# is tried last, when that package happens to be installed.
FONT_PLACES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
FONT_PACKAGE = "fonts-dejavu-core"
# fpdf2 subsets the font with fontTools, which logs every glyph table it touches at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

LAW_442 = (
    "Федеральный закон от 28.12.2013 № 442-ФЗ «Об основах социального обслуживания граждан "
    "в Российской Федерации»"
)
MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
FORMS = {
    "home": "на дому",
    "semi_residential": "в полустационарной форме",
    "residential": "в стационарной форме",
}
CHANNELS = {
    "in_person": "лично в организации",
    "my_documents": "через многофункциональный центр «Мои документы»",
    "portal": "в электронной форме через портал",
    "phone": "по телефону",
    "referral": "по направлению другого органа",
}
PERIODS = {"day": "в день", "week": "в неделю", "month": "в месяц", "year": "в год"}
UNITS = {"service": "усл.", "hour": "ч", "visit": "посещ.", "day": "дн.", "set": "компл."}
PROGRAMME_REASONS = {
    "first": "первичная",
    "review": "пересмотр по сроку",
    "circumstances": "изменение обстоятельств",
}
BLANK = "—"
SIGNATURE_LINE = "_" * 22
SIGNATURE_WIDTH = 50  # mm
DATE_LINE = "«___» _________ 20___ г."


# --- What a document says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Fields:
    """Label and value pairs: the person, the dates, the figures."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # relative
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatures:
    """Who signs, and under what role: (role, name) with a line to sign and to date."""

    rows: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass
class Printed:
    document: str  # the code written in the audit entry
    filename: str
    institution: str
    institution_details: str
    title: str
    subtitle: str
    number: str
    blocks: list[Block] = field(default_factory=list)
    is_draft: bool = False

    def lines(self) -> list[str]:
        """Every text of the document in reading order."""
        out = [self.institution, self.institution_details, self.title, self.subtitle, self.number]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                out.append(block.text)
            elif isinstance(block, Fields):
                out += [f"{label}: {value}" for label, value in block.rows]
            elif isinstance(block, Table):
                out.append(" | ".join(c.title for c in block.columns))
                out += [" | ".join(row) for row in block.rows]
            else:
                out += [f"{role}: {name}" for role, name in block.rows]
        return [line for line in out if line]

    def text(self) -> str:
        return "\n".join(self.lines())


# --- Wording helpers -----------------------------------------------------------------------------


def day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else BLANK


def money(value: Decimal) -> str:
    """1234.5 → "1 234,50": the Russian way, with a space that never breaks a line."""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count: 1 балл, 2 балла, 5 баллов, 21 балл."""
    tens, units = count % 100, count % 10
    if units == 1 and tens != 11:
        return one
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return few
    return many


def month_name(first: dt.date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year} г."


def _by_sex(person: Any, male: str, female: str) -> str:
    return female if person.sex == "F" else male


def _initials(person_or_user: Any) -> str:
    """ "Петрова Анна Ивановна" → "Петрова А. И." for the line under a signature."""
    last = getattr(person_or_user, "last_name", "") or ""
    rest = [
        getattr(person_or_user, "first_name", "") or "",
        getattr(person_or_user, "patronymic", "") or "",
    ]
    initials = " ".join(f"{part[0]}." for part in rest if part)
    name = f"{last} {initials}".strip()
    return name or str(person_or_user)


def _russian(bilingual: str) -> str:
    """Reference texts written "Russian / English" keep their Russian half."""
    return bilingual.split(" / ", 1)[0]


def _signatory(actor: Actor) -> str:
    name = getattr(actor, "display_name", "") or ""
    return name or BLANK


def _ascii_filename(*parts: str) -> str:
    stem = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-") for part in parts)
    return f"{stem or 'document'}.pdf"


def _institution_details(case: Case) -> str:
    institution = case.institution
    return ", ".join(part for part in (institution.address, institution.phone) if part)


def _person_fields(actor: Actor, case: Case) -> list[tuple[str, str]]:
    """The person as the printing user may show her: the full SNILS only to staff allowed to
    see it, masked as in the registry for everyone else."""
    person = case.person
    return [
        (_by_sex(person, "Гражданин", "Гражданка"), person.full_name),
        ("Дата рождения", day(person.birth_date)),
        ("Адрес", selectors.postal_address(person) or BLANK),
        ("СНИЛС", registry_selectors.snils_for(actor, person) or BLANK),
    ]


def _times(item: Any) -> str:
    if not item.times or not item.per:
        return BLANK
    word = plural(item.times, "раз", "раза", "раз")
    return f"{item.times} {word} {PERIODS.get(item.per, item.per)}"


def _fee_basis(programme: Programme) -> str:
    income = money(programme.income)
    if programme.is_free:
        return (
            "Социальные услуги предоставляются бесплатно: среднедушевой доход получателя "
            f"({income} руб. в месяц) не превышает предельной величины, установленной "
            f"в соответствии со статьёй 31 ({LAW_442})."
        )
    return (
        f"Ежемесячная плата за социальные услуги — не более {money(programme.fee_cap)} руб., "
        f"рассчитана по среднедушевому доходу получателя {income} руб. в месяц "
        f"(статья 32, {LAW_442})."
    )


def _example_note(programme: Programme) -> list[Block]:
    if not programme.fee_is_example:
        return []
    return [
        Paragraph(
            "Размер платы рассчитан по примерным (демонстрационным) значениям правил "
            "и не является юридически значимым."
        )
    ]


# --- The documents -------------------------------------------------------------------------------


def decision_document(*, actor: Actor, case: Case, decision: NeedDecision) -> Printed:
    """The decision on recognition as needing social services, or the refusal with its
    reasons (442-FZ art. 15)."""
    person = case.person
    recognised = decision.outcome == Outcome.RECOGNISED
    assessment = decision.assessment
    care_level = decision.care_level or (assessment.care_level if assessment else None)
    grounds = [
        f"{ground.name} ({_russian(ground.basis)})" if ground.basis else ground.name
        for ground in case.grounds.all()
    ]
    application = [
        ("Заявление", f"от {day(case.applied_on)}, подано {CHANNELS.get(case.channel, '')}"),
    ]
    if case.representative_name:
        basis = f" ({case.representative_basis})" if case.representative_basis else ""
        application.append(("Представитель", f"{case.representative_name}{basis}"))
    if case.referred_by:
        application.append(("Направлено", case.referred_by))
    blocks: list[Block] = [
        Fields(tuple(_person_fields(actor, case) + application)),
        Heading("Обстоятельства, на основании которых подано заявление"),
        *(Paragraph(f"— {ground}") for ground in grounds or [BLANK]),
        Heading("Оценка обстоятельств"),
    ]
    if assessment is not None:
        points = plural(assessment.score, "балл", "балла", "баллов")
        assessed = [
            ("Дата оценки", day(assessment.assessed_on)),
            ("Шкала", assessment.scale.name),
            ("Результат", f"{assessment.score} {points}"),
            ("Уровень нуждаемости", care_level.name if care_level else BLANK),
        ]
        if care_level is not None and care_level.proposed_form:
            assessed.append(
                ("Рекомендуемая форма обслуживания", FORMS.get(care_level.proposed_form, ""))
            )
        blocks.append(Fields(tuple(assessed)))
        if assessment.conclusion:
            blocks.append(Paragraph(f"Заключение: {assessment.conclusion}"))
    else:
        blocks.append(Paragraph("Оценка не проводилась."))
    blocks.append(Heading("Решение"))
    # The name stays in the nominative after a colon, as official forms write it: declining
    # a surname correctly needs more than its spelling.
    needing = _by_sex(person, "нуждающимся", "нуждающейся")
    citizen = f"{person.full_name}, {day(person.birth_date)} г. р."
    if recognised:
        blocks.append(
            Paragraph(
                f"Признать {needing} в социальном обслуживании "
                f"{_by_sex(person, 'гражданина', 'гражданку')}: {citizen} "
                f"(статья 15, {LAW_442}).",
                bold=True,
            )
        )
        if decision.reasons:
            blocks.append(Paragraph(f"Обоснование: {decision.reasons}"))
        if case.programme_due:
            blocks.append(
                Paragraph(
                    "Индивидуальная программа предоставления социальных услуг передаётся "
                    f"получателю не позднее {day(case.programme_due)}: в срок, исчисляемый "
                    f"со дня подачи заявления (часть 4 статьи 16, {LAW_442})."
                )
            )
    else:
        blocks += [
            Paragraph(
                f"Отказать в признании {needing} в социальном обслуживании "
                f"{_by_sex(person, 'гражданину', 'гражданке')}: {citizen} "
                f"(статья 15, {LAW_442}).",
                bold=True,
            ),
            Paragraph(f"Причины отказа: {decision.reasons}"),
        ]
    blocks += [
        Fields(
            (
                ("Дата решения", day(decision.decided_on)),
                ("Срок принятия решения", day(decision.due_on)),
            )
        ),
        Paragraph(
            "Решение может быть обжаловано в вышестоящий орган или в суд в порядке, "
            "установленном законодательством Российской Федерации."
        ),
        Signatures(
            (
                ("Должностное лицо", _signatory(actor)),
                (
                    _by_sex(person, "С решением ознакомлен", "С решением ознакомлена"),
                    _initials(person),
                ),
            )
        ),
    ]
    title = "РЕШЕНИЕ"
    subtitle = (
        "о признании гражданина нуждающимся в социальном обслуживании"
        if recognised
        else "об отказе в признании гражданина нуждающимся в социальном обслуживании"
    )
    return Printed(
        document="decision",
        filename=_ascii_filename("decision", case.number),
        institution=case.institution.name,
        institution_details=_institution_details(case),
        title=title,
        subtitle=subtitle,
        number=f"№ {case.number} от {day(decision.decided_on)}",
        blocks=blocks,
    )


def programme_document(*, actor: Actor, programme: Programme) -> Printed:
    """A version of the individual programme of social services (442-FZ art. 16)."""
    case = programme.case
    person = case.person
    lines = selectors.item_lines(programme)
    given = [line.item for line in lines if not line.item.is_refused]
    refused = [line.item for line in lines if line.item.is_refused]
    services = Table(
        (
            Column("№", 6, numeric=True),
            Column("Социальная услуга", 46),
            Column("Поставщик", 34),
            Column("Периодичность", 22),
            Column("Объём за срок", 18, numeric=True),
            Column("Срок", 24),
            Column("Цена за ед., руб.", 20, numeric=True),
        ),
        tuple(
            (
                str(number),
                f"{item.service.code} {item.service.name}",
                item.provider.institution.name,
                _times(item),
                f"{item.volume} {UNITS.get(item.service.unit, '')}".strip(),
                f"с {day(item.starts_on)} по {day(item.ends_on)}",
                money(item.unit_price),
            )
            for number, item in enumerate(given, start=1)
        ),
    )
    total = sum((item.unit_price * item.volume for item in given), Decimal("0"))
    blocks: list[Block] = [
        Fields(
            (
                *_person_fields(actor, case),
                ("Форма социального обслуживания", FORMS.get(programme.form, programme.form)),
                ("Срок действия", f"с {day(programme.valid_from)} по {day(programme.valid_to)}"),
                ("Пересмотр не позднее", day(programme.review_due)),
                (
                    "Версия программы",
                    f"{programme.version} ({PROGRAMME_REASONS.get(programme.reason, '')})",
                ),
            )
        ),
        Heading("Социальные услуги"),
        services if given else Paragraph("Социальные услуги не назначены."),
        Paragraph(f"Стоимость социальных услуг за весь срок программы: {money(total)} руб."),
        Heading("Условия оплаты"),
        Paragraph(_fee_basis(programme)),
        *_example_note(programme),
    ]
    if refused:
        blocks += [
            Heading("Социальные услуги, от которых получатель отказался в письменной форме"),
            Table(
                (
                    Column("№", 6, numeric=True),
                    Column("Социальная услуга", 110),
                    Column("Дата отказа", 30),
                ),
                tuple(
                    (str(number), f"{item.service.code} {item.service.name}", day(item.refused_on))
                    for number, item in enumerate(refused, start=1)
                ),
            ),
        ]
        if programme.refusal:
            blocks.append(Paragraph(f"Текст письменного отказа: {programme.refusal}"))
    agreement = (
        f"Дата согласия: {day(programme.agreed_on)}"
        if programme.agreed_on
        else "Дата согласия: «___» ____________ 20___ г."
    )
    blocks += [
        Paragraph(
            "С содержанием индивидуальной программы "
            + _by_sex(person, "ознакомлен и согласен", "ознакомлена и согласна")
            + ". "
            + agreement
        ),
        Signatures(
            (
                ("Программу составил(а)", _signatory(actor)),
                ("Получатель социальных услуг (представитель)", _initials(person)),
            )
        ),
    ]
    return Printed(
        document="programme",
        filename=_ascii_filename("programme", case.number, f"v{programme.version}"),
        institution=case.institution.name,
        institution_details=_institution_details(case),
        title="ИНДИВИДУАЛЬНАЯ ПРОГРАММА",
        subtitle="предоставления социальных услуг",
        number=f"№ {case.number}/{programme.version} от {day(programme.drawn_up_on)}",
        blocks=blocks,
        is_draft=programme.status == ProgrammeStatus.DRAFT,
    )


def act_document(*, actor: Actor, act: ServiceAct) -> Printed:
    """The act of services delivered to a recipient in a month, with the fee charged."""
    case = act.case
    person = case.person
    programme = act.programme
    deliveries = selectors.act_deliveries(act)
    rows = [
        (
            str(number),
            day(delivery.delivered_on),
            f"{delivery.service.code} {delivery.service.name}",
            str(delivery.quantity),
            money(delivery.unit_price),
            money(delivery.cost),
        )
        for number, delivery in enumerate(deliveries, start=1)
    ]
    rows.append(("", "", "Итого", str(sum(d.quantity for d in deliveries)), "", money(act.cost)))
    if programme.is_free:
        fee_line = "Социальные услуги предоставлены бесплатно."
    else:
        fee_line = (
            f"Плата за месяц: {money(act.fee)} руб. (не более {money(programme.fee_cap)} руб. "
            "в месяц по индивидуальной программе)."
        )
    count = act.deliveries
    blocks: list[Block] = [
        Fields(
            (
                *_person_fields(actor, case),
                (
                    "Индивидуальная программа",
                    f"№ {case.number}/{programme.version} от {day(programme.drawn_up_on)}",
                ),
                ("Форма социального обслуживания", FORMS.get(programme.form, programme.form)),
                ("Период", month_name(act.month)),
            )
        ),
        Heading("Предоставленные социальные услуги"),
        Table(
            (
                Column("№", 6, numeric=True),
                Column("Дата", 18),
                Column("Социальная услуга", 70),
                Column("Кол-во", 12, numeric=True),
                Column("Цена, руб.", 18, numeric=True),
                Column("Стоимость, руб.", 20, numeric=True),
            ),
            tuple(rows),
        ),
        Fields(
            (
                (
                    "Всего предоставлено",
                    f"{count} {plural(count, 'услуга', 'услуги', 'услуг')} "
                    f"на сумму {money(act.cost)} руб.",
                ),
                ("Плата получателя", f"{money(act.fee)} руб."),
            )
        ),
        Paragraph(fee_line),
        *_example_note(programme),
        Paragraph(
            "Социальные услуги предоставлены своевременно и в полном объёме. "
            "Претензий к объёму и качеству услуг получатель не имеет."
        ),
        Signatures(
            (
                ("От поставщика социальных услуг", _signatory(actor)),
                ("Получатель социальных услуг (представитель)", _initials(person)),
            )
        ),
    ]
    return Printed(
        document="act",
        filename=_ascii_filename("act", case.number, act.month.strftime("%Y-%m")),
        institution=case.institution.name,
        institution_details=_institution_details(case),
        title="АКТ",
        subtitle=f"о предоставлении социальных услуг за {month_name(act.month)}",
        number=f"№ {case.number}/{act.month:%m-%Y} от {day(act.issued_on)}",
        blocks=blocks,
    )


# --- Layout --------------------------------------------------------------------------------------


def _font_candidates() -> list[Path]:
    places = list(FONT_PLACES)
    spec = importlib.util.find_spec("matplotlib")  # found without importing it
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            places.append(Path(location) / "mpl-data" / "fonts" / "ttf")
    return places


def font_dir() -> Path:
    """The folder with DejaVu Sans, regular and bold: the one OPORA_PDF_FONT_DIR names, or the
    first of the usual places that has both."""
    configured = settings.PDF_FONT_DIR
    places = [Path(configured)] if configured else _font_candidates()
    for place in places:
        if all((place / name).is_file() for name in FONT_FILES.values()):
            return place
    raise DomainError(
        "pdf_font_missing",
        _(
            "The document cannot be printed: the font DejaVu Sans is not installed on the "
            "server. Install the package %(package)s, or set OPORA_PDF_FONT_DIR to a folder "
            "with %(files)s."
        )
        % {"files": ", ".join(FONT_FILES.values()), "package": FONT_PACKAGE},
        details={"font_dir": [str(p) for p in places]},
        status=503,
    )


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 6, f"{self.footer_text} · страница {self.page_no()} из {{nb}}", align="C")


LINE = 5.5
BODY_SIZE = 10.5
TABLE_SIZE = 9


def _text(pdf: FPDF, text: str, *, size: float = BODY_SIZE, bold: bool = False, align: str = "L"):
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, LINE, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _fields(pdf: FPDF, rows: Sequence[tuple[str, str]]) -> None:
    pdf.set_font(FONT, "", BODY_SIZE)
    with pdf.table(
        col_widths=(40, 95),
        first_row_as_headings=False,
        borders_layout="NONE",
        text_align=("LEFT", "LEFT"),
        line_height=LINE,
        padding=(0.6, 1, 0.6, 0),
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, "", TABLE_SIZE)
    with pdf.table(
        col_widths=tuple(c.width for c in block.columns),
        text_align=tuple("RIGHT" if c.numeric else "LEFT" for c in block.columns),
        line_height=4.6,
        headings_style=FontFace(emphasis="BOLD", fill_color=235),
        padding=1,
    ) as table:
        table.row([c.title for c in block.columns])
        for values in block.rows:
            table.row(list(values))


def _signatures(pdf: FPDF, rows: Iterable[tuple[str, str]]) -> None:
    # A signature is never separated from its role by a page break.
    with pdf.unbreakable() as page:
        page.ln(4)
        for role, name in rows:
            page.set_font(FONT, "", BODY_SIZE)
            page.multi_cell(0, LINE, role, new_x="LMARGIN", new_y="NEXT")
            page.ln(2)
            dated = page.get_string_width(DATE_LINE) + 2
            page.cell(SIGNATURE_WIDTH, LINE, SIGNATURE_LINE)
            page.cell(page.epw - SIGNATURE_WIDTH - dated, LINE, f"/ {name} /")
            page.cell(dated, LINE, DATE_LINE, align="R", new_x="LMARGIN", new_y="NEXT")
            page.set_font(FONT, "", 7)
            page.cell(SIGNATURE_WIDTH, 3.5, "(подпись)", align="C", new_x="LMARGIN", new_y="NEXT")
            page.ln(3)


def render(printed: Printed, *, compress: bool | None = None) -> bytes:
    """The document as PDF bytes, A4, its pages numbered in the footer."""
    fonts = font_dir()
    pdf = _Pdf(format="A4")
    pdf.set_compression(settings.CASEWORK_PDF_COMPRESS if compress is None else compress)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(fonts / name))
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(f"{printed.title} {printed.subtitle} {printed.number}")
    pdf.set_author(printed.institution)
    pdf.set_creator("Opora")
    pdf.set_lang("ru")
    pdf.footer_text = f"{printed.title.capitalize()} {printed.number}"
    pdf.add_page()

    _text(pdf, printed.institution, bold=True, align="C", size=11)
    if printed.institution_details:
        _text(pdf, printed.institution_details, size=8.5, align="C")
    pdf.ln(1)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(5)
    if printed.is_draft:
        _text(pdf, "ПРОЕКТ", bold=True, align="R", size=11)
    _text(pdf, printed.title, bold=True, align="C", size=14)
    _text(pdf, printed.subtitle, bold=True, align="C", size=11.5)
    _text(pdf, printed.number, align="C")
    pdf.ln(4)

    for block in printed.blocks:
        if isinstance(block, Heading):
            pdf.ln(2.5)
            _text(pdf, block.text, bold=True, size=11)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            _text(pdf, block.text, bold=block.bold)
            pdf.ln(1)
        elif isinstance(block, Fields):
            _fields(pdf, block.rows)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            _table(pdf, block)
            pdf.ln(2)
        else:
            _signatures(pdf, block.rows)
    return bytes(pdf.output())
