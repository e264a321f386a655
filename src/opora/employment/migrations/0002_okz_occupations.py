"""A small part of the national classifier of occupations (ОКЗ, ОК 010-2014, harmonised with
ISCO-08): its nine major groups and the unit groups the employment departments meet most.
The names follow the classifier; an administrator adds the rest of it as data. A group an
administrator already entered is left alone."""

from django.db import migrations

OCCUPATIONS = [
    ("1", "Руководители", "Managers"),
    ("2", "Специалисты высшего уровня квалификации", "Professionals"),
    ("3", "Специалисты среднего уровня квалификации", "Technicians and associate professionals"),
    (
        "4",
        "Служащие, занятые подготовкой и оформлением документации, учетом и обслуживанием",
        "Clerical support workers",
    ),
    (
        "5",
        "Работники сферы обслуживания и торговли, охраны граждан и собственности",
        "Service and sales workers",
    ),
    (
        "6",
        "Квалифицированные работники сельского и лесного хозяйства, рыбоводства и рыболовства",
        "Skilled agricultural, forestry and fishery workers",
    ),
    (
        "7",
        "Квалифицированные рабочие промышленности, строительства, транспорта и рабочие "
        "родственных занятий",
        "Craft and related trades workers",
    ),
    (
        "8",
        "Операторы производственных установок и машин, сборщики и водители",
        "Plant and machine operators, and assemblers",
    ),
    ("9", "Неквалифицированные рабочие", "Elementary occupations"),
    ("2211", "Врачи общей практики", "Generalist medical practitioners"),
    ("2411", "Бухгалтеры", "Accountants"),
    ("2512", "Разработчики программного обеспечения", "Software developers"),
    ("2635", "Специалисты по социальной работе", "Social work and counselling professionals"),
    ("4110", "Офисные служащие общего профиля", "General office clerks"),
    ("4120", "Секретари (общего профиля)", "Secretaries (general)"),
    ("5120", "Повара", "Cooks"),
    ("5223", "Продавцы магазинов", "Shop sales assistants"),
    ("5322", "Работники по уходу на дому", "Home-based personal care workers"),
    ("5414", "Охранники", "Security guards"),
    ("7115", "Плотники и столяры", "Carpenters and joiners"),
    ("7411", "Электрики в строительстве и рабочие родственных занятий", "Building electricians"),
    ("8322", "Водители легковых автомобилей, такси и фургонов", "Car, taxi and van drivers"),
    ("8332", "Водители грузовых автомобилей", "Heavy truck and lorry drivers"),
    (
        "9112",
        "Уборщики и помощники в конторах, гостиницах и других учреждениях",
        "Cleaners and helpers in offices, hotels and other establishments",
    ),
    ("9333", "Грузчики", "Freight handlers"),
]


def load(apps, schema_editor):
    Occupation = apps.get_model("employment", "Occupation")
    for code, name, name_en in OCCUPATIONS:
        Occupation.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


def unload(apps, schema_editor):
    Occupation = apps.get_model("employment", "Occupation")
    Occupation.objects.filter(
        code__in=[code for code, _, _ in OCCUPATIONS], vacancies__isnull=True, seekers__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
