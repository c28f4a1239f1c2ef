#!/usr/bin/env python
"""Generate the bundled sample workbook: one CSV per sheet in ``data/sample/``.

Every figure written here is ILLUSTRATIVE: plausible levels and trends for Pasadena,
Altadena and Sierra Madre, made up with a seeded random number generator. None of it is
official data from the Pasadena Unified School District, the City of Pasadena, the
California Department of Education or anyone else.

Run from the repository root::

    .venv/bin/python data/generate_sample.py

The output is deterministic (same seed, same files) and needs no network. The columns follow
``rba/workbook/spec.py`` exactly; they are written out here so the script has no dependency
on the package (``tests/test_sample_data.py`` checks them against the spec).
"""

from __future__ import annotations

import csv
import zlib
from fractions import Fraction
from pathlib import Path

import numpy as np

SEED = 20130219  # the day the School/City/Community Work Plan was adopted
OUT = Path(__file__).resolve().parent / "sample"

ILLUSTRATIVE = "Illustrative sample data (not official)"

# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

SCHOOL_YEARS = [f"{y}-{(y + 1) % 100:02d}" for y in range(2016, 2026)]  # 2016-17 .. 2025-26
YEARS = [str(y) for y in range(2016, 2026)]  # 2016 .. 2025
QUARTERS = [f"{y}-Q{q}" for y in range(2018, 2027) for q in range(1, 5)][:35]  # ..2026-Q3
PERIODS = {"school_year": SCHOOL_YEARS, "year": YEARS, "quarter": QUARTERS}

#: Pandemic months, by frequency: the periods in-person metrics dip in.
COVID_QUARTERS = {"2020-Q2": 0.35, "2020-Q3": 0.5, "2020-Q4": 0.6, "2021-Q1": 0.65,
                  "2021-Q2": 0.8, "2021-Q3": 0.92}

CITIES = ["Pasadena", "Altadena", "Sierra Madre"]
STUDENT_GROUPS = [
    "African American", "Latino", "White", "Asian", "English Learners",
    "Students with Disabilities", "Socioeconomically Disadvantaged",
]

# --------------------------------------------------------------------------------------------
# Sheet columns (exactly as rba/workbook/spec.py)
# --------------------------------------------------------------------------------------------

DIMENSION_COLUMNS = ["student_group", "city"]
FIGURE = ["period", "value", "numerator", "denominator", "status", "note"]
COLUMNS = {
    "teams": ["slug", "name", "name_es", "facilitator", "members"],
    "results": ["code", "name", "name_es", "description", "description_es", "team", "order"],
    "dimensions": ["dimension", "value", "label", "label_es", "order"],
    "indicators": [
        "code", "result", "name", "name_es", "unit", "per", "polarity", "frequency", "kind",
        "dimensions", "source", "definition", "definition_es", "technical_definition",
        "technical_definition_es", "published", "min_n", "order",
    ],
    "partners": ["name", "type", "website"],
    "programs": [
        "code", "name", "name_es", "description", "description_es", "lead_partner", "partners",
        "results", "indicators", "population", "annual_funding",
    ],
    "measures": [
        "code", "program", "name", "name_es", "kind", "unit", "per", "polarity", "frequency",
        "order",
    ],
    "observations": ["indicator", *FIGURE, *DIMENSION_COLUMNS],
    "targets": ["indicator", "period", "value", "rationale", *DIMENSION_COLUMNS],
    "measure_observations": ["measure", *FIGURE],
    "measure_targets": ["measure", "period", "value", "rationale"],
    "stories": [
        "indicator", "story_behind_the_curve", "story_behind_the_curve_es", "partners",
        "partners_es", "what_works", "what_works_es", "action_plan", "action_plan_es",
        "saved_by", "saved_at",
    ],
}


def rng_for(name: str) -> np.random.Generator:
    """A generator of its own for each series, so adding one series leaves the others alone."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode("utf-8"))])


# --------------------------------------------------------------------------------------------
# Teams, results, dimensions
# --------------------------------------------------------------------------------------------

TEAMS = [
    ("early-childhood", "Early Childhood Result Team",
     "Equipo de Resultados de la Primera Infancia", "Teresa Villanueva",
     ["Ana Lucía Gómez", "Brian Kessler", "Monique Harris", "Sofía Ramírez", "Helen Park",
      "Jorge Castañeda"]),
    ("academic-success", "Academic Success Result Team",
     "Equipo de Resultados de Éxito Académico", "Marcus Bell",
     ["Linda Nakamura", "Roberto Salas", "Denise Walker", "Priya Raman", "Carlos Mendoza",
      "Karen O'Neill", "Yolanda Price"]),
    ("engaged-youth", "Engaged Youth Result Team",
     "Equipo de Resultados de Juventud Comprometida", "Grace Oyelaran",
     ["Tomás Herrera", "Jasmine Reed", "Kevin Tran", "Alicia Navarro", "Devon Brooks"]),
    ("healthy-students", "Healthy Students Result Team",
     "Equipo de Resultados de Estudiantes Sanos", "Daniel Cho",
     ["Maribel Ortiz", "Steven Adler", "Latoya Jenkins", "Rosa Delgado", "Emily Fischer",
      "Hector Ruiz"]),
    ("stable-environments", "Stable and Supportive Environments Result Team",
     "Equipo de Resultados de Entornos Estables y de Apoyo", "Lorena Fuentes",
     ["Pastor James Whitley", "Nancy Guerrero", "Officer Luis Romero", "Angela Foster",
      "Miguel Torres", "Diane Kaplan"]),
    ("family-engagement", "Family Engagement Result Team",
     "Equipo de Resultados de Participación Familiar", "Patrick Gallagher",
     ["Verónica Lara", "Tanisha Coleman", "Ruth Abramson", "Guadalupe Morales",
      "Samuel Osei"]),
    ("desirable-place", "Desirable Place to Live Result Team",
     "Equipo de Resultados: Un Lugar Deseable para Vivir", "Renee Washington",
     ["Arturo Beltrán", "Cynthia Liu", "Frank DeLuca", "Imani Stewart", "Paula Sandoval",
      "George Hampton"]),
]

RESULTS = [
    ("R1", "Children's developmental needs are met",
     "Se satisfacen las necesidades de desarrollo de los niños",
     "Young children are healthy, cared for and ready to start school.",
     "Los niños pequeños están sanos, bien cuidados y listos para empezar la escuela.",
     "early-childhood"),
    ("R2", "Students succeed academically", "Los estudiantes tienen éxito académico",
     "Students read, write and do math at grade level, graduate and are ready for college "
     "and career.",
     "Los estudiantes leen, escriben y hacen matemáticas al nivel de su grado, se gradúan y "
     "están preparados para la universidad y una carrera.",
     "academic-success"),
    ("R3", "Students are actively involved in learning and the community",
     "Los estudiantes participan activamente en el aprendizaje y en la comunidad",
     "Young people take part in activities, work experience and community life in and out "
     "of school.",
     "Los jóvenes participan en actividades, experiencias laborales y en la vida de la "
     "comunidad, dentro y fuera de la escuela.",
     "engaged-youth"),
    ("R4", "Students are healthy physically, socially and emotionally",
     "Los estudiantes están sanos física, social y emocionalmente",
     "Students are physically healthy and feel connected, safe and hopeful.",
     "Los estudiantes gozan de buena salud física y se sienten conectados, seguros y con "
     "esperanza.",
     "healthy-students"),
    ("R5", "Students live and learn in stable and supportive environments",
     "Los estudiantes viven y aprenden en entornos estables y de apoyo",
     "Students come to school every day from safe, stable homes and neighbourhoods.",
     "Los estudiantes asisten a la escuela todos los días desde hogares y vecindarios "
     "seguros y estables.",
     "stable-environments"),
    ("R6", "Families are actively involved in children's education",
     "Las familias participan activamente en la educación de sus hijos",
     "Parents and caregivers are welcomed, informed and involved as partners in learning.",
     "Los padres y cuidadores son bienvenidos, están informados y participan como socios en "
     "el aprendizaje.",
     "family-engagement"),
    ("R7", "Pasadena is a desirable place to live", "Pasadena es un lugar deseable para vivir",
     "Families choose to live, learn, work and play in Pasadena, Altadena and Sierra Madre.",
     "Las familias eligen vivir, aprender, trabajar y divertirse en Pasadena, Altadena y "
     "Sierra Madre.",
     "desirable-place"),
]

DIMENSIONS = [
    ("city", "", "City", "Ciudad", ""),
    ("city", "Pasadena", "Pasadena", "Pasadena", 1),
    ("city", "Altadena", "Altadena", "Altadena", 2),
    ("city", "Sierra Madre", "Sierra Madre", "Sierra Madre", 3),
    ("student_group", "", "Student group", "Grupo de estudiantes", ""),
    ("student_group", "African American", "African American", "Afroamericanos", 1),
    ("student_group", "Latino", "Latino", "Latinos", 2),
    ("student_group", "White", "White", "Blancos", 3),
    ("student_group", "Asian", "Asian", "Asiáticos", 4),
    ("student_group", "English Learners", "English learners", "Estudiantes de inglés", 5),
    ("student_group", "Students with Disabilities", "Students with disabilities",
     "Estudiantes con discapacidades", 6),
    ("student_group", "Socioeconomically Disadvantaged", "Socioeconomically disadvantaged",
     "En desventaja socioeconómica", 7),
]

# --------------------------------------------------------------------------------------------
# Indicators: metadata plus the model the illustrative figures are drawn from
# --------------------------------------------------------------------------------------------
# Model keys (all optional unless noted):
#   path      (start, end) of the all-up level, or an explicit list (one per period)
#   sd        noise of the all-up level
#   shock     {period: additive change}; for counts a multiplier
#   missing   {period: note}: a row with a blank value (not available, never zero)
#   notes     {period: note} on the total row
#   den       (start, end) of the all-up denominator (percent and rate indicators)
#   den_shock {period: multiplier of the denominator}
#   season    four multipliers, one per quarter (quarterly indicators)
#   covid     True: quarterly series dips in the pandemic quarters
#   cities    {city: (share of denominator or count, gap)}; gap additive unless mult
#   groups    {student group: (share of denominator, gap)}
#   mult      gaps are multipliers of the level rather than additions
#   narrow    share of the student-group gaps closed by the last period
#   den_override {(city, period): denominator}: small groups for the suppression feature
#   count_override {(city, period): count}
#   decimals  of value for number/currency/score indicators

SG_3RD = {  # 3rd-grade reading: share of tested students, gap in points from all students
    "African American": (0.12, -17), "Latino": (0.58, -11), "White": (0.15, 25),
    "Asian": (0.05, 22), "English Learners": (0.22, -28),
    "Students with Disabilities": (0.13, -27), "Socioeconomically Disadvantaged": (0.65, -10),
}
CITY_PUSD = {"Pasadena": (0.76, 0), "Altadena": (0.185, -3), "Sierra Madre": (0.055, 14)}


def ind(code, result, name, name_es, unit, polarity, frequency, kind, source, definition,
        definition_es, technical="", technical_es="", per="", dims="", min_n="", model=None):
    return dict(
        code=code, result=result, name=name, name_es=name_es, unit=unit, per=per,
        polarity=polarity, frequency=frequency, kind=kind, dimensions=dims,
        source=f"{ILLUSTRATIVE}; {source}", definition=definition, definition_es=definition_es,
        technical_definition=technical, technical_definition_es=technical_es, published="yes",
        min_n=min_n, model=model or {},
    )


DISTANCE = "Distance learning year"
NOT_ADMIN = "Not available: state testing suspended (COVID-19 school closures)"

INDICATORS = [
    # ---------------------------------------------------------------- R1 early childhood
    ind("kinder_ready", "R1", "Kindergarteners ready for school",
        "Niños de kínder preparados para la escuela", "percent", "up", "school_year",
        "headline", "modelled on a district kindergarten readiness assessment",
        "Percent of kindergarteners who start the year with the skills they need to learn.",
        "Porcentaje de niños de kínder que comienzan el año con las habilidades que necesitan "
        "para aprender.",
        "Kindergarten students rated 'ready' in at least four of five domains on the fall "
        "readiness assessment, divided by kindergarten students assessed.",
        "Estudiantes de kínder calificados como 'preparados' en al menos cuatro de cinco "
        "áreas de la evaluación de otoño, dividido entre los estudiantes evaluados.",
        dims="city", min_n=11,
        model=dict(path=(57, 63), sd=0.8, shock={"2020-21": -6, "2021-22": -3.5},
                   den=(1010, 860), den_shock={"2020-21": 0.88},
                   cities={"Pasadena": (0.75, 0), "Altadena": (0.19, -3),
                           "Sierra Madre": (0.06, 9)},
                   notes={"2020-21": DISTANCE + "; assessed remotely",
                          "2021-22": "Method change: new assessment tool (DRDP-K)"})),
    ind("preschool_enroll", "R1", "Young children enrolled in preschool",
        "Niños pequeños inscritos en preescolar", "percent", "up", "year", "headline",
        "modelled on the American Community Survey (ACS)",
        "Percent of 3- and 4-year-olds who attend preschool or a licensed early learning "
        "program.",
        "Porcentaje de niños de 3 y 4 años que asisten a preescolar o a un programa de "
        "aprendizaje temprano con licencia.",
        "Children aged 3-4 enrolled in nursery school or preschool divided by all children "
        "aged 3-4; Pasadena, Altadena and Sierra Madre combined.",
        model=dict(path=(54, 59), sd=1.0, shock={"2020": -9, "2021": -4},
                   den=(3700, 3350), notes={"2020": "Many programs closed or went online"})),
    ind("prenatal_care", "R1", "Births with early prenatal care",
        "Nacimientos con atención prenatal temprana", "percent", "up", "year", "headline",
        "modelled on California Department of Public Health birth records",
        "Percent of babies whose mothers began prenatal care in the first three months of "
        "pregnancy.",
        "Porcentaje de bebés cuyas madres comenzaron la atención prenatal en los primeros "
        "tres meses del embarazo.",
        "Live births to residents with prenatal care beginning in the first trimester divided "
        "by live births to residents with known prenatal care start.",
        model=dict(path=(86, 87), sd=0.6, shock={"2020": -1.5}, den=(1560, 1330))),
    ind("immunization_k", "R1", "Kindergarteners with all required immunizations",
        "Niños de kínder con todas las vacunas requeridas", "percent", "up", "school_year",
        "secondary", "modelled on the California kindergarten immunization assessment",
        "Percent of kindergarteners who have received every vaccine required for school "
        "entry.",
        "Porcentaje de niños de kínder que han recibido todas las vacunas requeridas para "
        "entrar a la escuela.",
        "Kindergarten students with all required immunizations at the fall assessment divided "
        "by kindergarten enrollment reported in the assessment.",
        min_n=11,
        model=dict(path=(95.0, 94.2), sd=0.4, shock={"2020-21": -1.6, "2021-22": -0.8},
                   den=(1030, 880))),
    ind("childcare_spaces", "R1", "Licensed child care spaces",
        "Plazas de cuidado infantil con licencia", "count", "up", "year", "secondary",
        "modelled on Community Care Licensing facility lists",
        "Number of licensed spaces in child care centers and family child care homes.",
        "Número de plazas con licencia en centros de cuidado infantil y en hogares de cuidado "
        "infantil familiar.",
        "Licensed capacity of child care centers and family child care homes located in "
        "Pasadena, Altadena and Sierra Madre on 31 December.",
        model=dict(path=(5150, 4750), sd=0.012, shock={"2020": 0.94, "2021": 0.96})),
    ind("dev_screening", "R1", "Young children receiving a developmental screening",
        "Niños pequeños que reciben una evaluación del desarrollo", "percent", "up", "year",
        "development", "no data source yet (data development agenda)",
        "Percent of children under 3 who received a standard developmental screening in the "
        "past year.",
        "Porcentaje de niños menores de 3 años que recibieron una evaluación estándar del "
        "desarrollo en el último año.",
        "Wanted: children aged 9-36 months with a validated screening (e.g. ASQ-3) in the "
        "year, divided by children of that age; needs data sharing with pediatric clinics."),
    # ---------------------------------------------------------------- R2 academic success
    ind("read_3rd", "R2", "3rd graders reading at grade level",
        "Estudiantes de 3.er grado que leen al nivel de su grado", "percent", "up",
        "school_year", "headline", "modelled on CAASPP results (CDE DataQuest)",
        "Percent of 3rd graders who meet or exceed the state standard in English language "
        "arts.",
        "Porcentaje de estudiantes de tercer grado que cumplen o superan el estándar estatal "
        "de lectura y escritura en inglés.",
        "3rd-grade students scoring Standard Met or Standard Exceeded on the CAASPP Smarter "
        "Balanced ELA assessment, divided by 3rd-grade students with a valid score.",
        "Estudiantes de 3.er grado con resultado 'estándar cumplido' o 'estándar superado' en "
        "la prueba CAASPP de ELA, dividido entre los estudiantes con un resultado válido.",
        dims="student_group, city", min_n=11,
        model=dict(path=(43, 48), sd=0.9, shock={"2020-21": -5, "2021-22": -3},
                   missing={"2019-20": NOT_ADMIN}, den=(1040, 870),
                   den_shock={"2020-21": 0.7}, groups=SG_3RD, narrow=0.15,
                   cities=CITY_PUSD,
                   notes={"2020-21": DISTANCE + "; low test participation"})),
    ind("grad_rate", "R2", "High school graduation rate",
        "Tasa de graduación de la preparatoria", "percent", "up", "school_year", "headline",
        "modelled on CDE DataQuest four-year adjusted cohort outcomes",
        "Percent of students who graduate from high school within four years of starting "
        "9th grade.",
        "Porcentaje de estudiantes que se gradúan de la preparatoria dentro de los cuatro "
        "años de haber comenzado el 9.º grado.",
        "Four-year adjusted cohort graduation rate: students earning a regular diploma within "
        "four years divided by the adjusted cohort (entrants plus transfers in, minus "
        "verified transfers out).",
        "Tasa de graduación de cohorte ajustada de cuatro años.",
        dims="student_group", min_n=11,
        model=dict(path=(83, 89), sd=0.8, shock={"2019-20": 1.2}, den=(1180, 1010),
                   groups={"African American": (0.13, -6), "Latino": (0.57, -3),
                           "White": (0.16, 6), "Asian": (0.05, 8),
                           "English Learners": (0.12, -14),
                           "Students with Disabilities": (0.13, -17),
                           "Socioeconomically Disadvantaged": (0.64, -2)}, narrow=0.3,
                   notes={"2019-20": "Pass/no-pass grading allowed in spring 2020"})),
    ind("a_g_complete", "R2", "Graduates meeting A-G college entrance requirements",
        "Graduados que cumplen los requisitos A-G de ingreso a la universidad", "percent",
        "up", "school_year", "headline", "modelled on CDE DataQuest graduate data",
        "Percent of graduates who passed the courses required to apply to University of "
        "California and California State University campuses.",
        "Porcentaje de graduados que aprobaron los cursos necesarios para solicitar admisión "
        "a la Universidad de California y a la Universidad Estatal de California.",
        "Graduates in the four-year cohort who completed all UC/CSU A-G courses with a grade "
        "of C or better, divided by graduates in the cohort.",
        dims="student_group", min_n=11,
        model=dict(path=(52, 60), sd=1.0, shock={"2019-20": 2.0}, den=(980, 890),
                   groups={"African American": (0.13, -12), "Latino": (0.56, -8),
                           "White": (0.17, 14), "Asian": (0.06, 20),
                           "English Learners": (0.09, -30),
                           "Students with Disabilities": (0.11, -33),
                           "Socioeconomically Disadvantaged": (0.62, -7)}, narrow=0.25)),
    ind("cci_prepared", "R2", "Graduates prepared for college and career",
        "Graduados preparados para la universidad y una carrera", "percent", "up",
        "school_year", "headline", "modelled on the California School Dashboard",
        "Percent of graduates rated 'prepared' for college and career by the state's "
        "College/Career Indicator.",
        "Porcentaje de graduados que el Indicador Universitario y Profesional del estado "
        "considera 'preparados'.",
        "Students in the graduation cohort meeting at least one 'Prepared' measure of the "
        "College/Career Indicator (A-G plus CTE pathway, AP/IB exams, dual enrollment, "
        "grade 11 test scores, State Seal of Biliteracy...), divided by the cohort.",
        min_n=11,
        model=dict(path=(41, 50), sd=1.0, den=(1160, 1000),
                   missing={"2019-20": "Not reported: state suspended the indicator",
                            "2020-21": "Not reported: state suspended the indicator"})),
    ind("math_8th", "R2", "8th graders meeting the math standard",
        "Estudiantes de 8.º grado que cumplen el estándar de matemáticas", "percent", "up",
        "school_year", "secondary", "modelled on CAASPP results (CDE DataQuest)",
        "Percent of 8th graders who meet or exceed the state standard in mathematics.",
        "Porcentaje de estudiantes de 8.º grado que cumplen o superan el estándar estatal de "
        "matemáticas.",
        "8th-grade students scoring Standard Met or Standard Exceeded on the CAASPP Smarter "
        "Balanced mathematics assessment, divided by students with a valid score.",
        dims="student_group", min_n=11,
        model=dict(path=(28, 27), sd=0.9, shock={"2020-21": -6, "2021-22": -4, "2022-23": -2},
                   missing={"2019-20": NOT_ADMIN}, den=(1090, 930), den_shock={"2020-21": 0.65},
                   groups={"African American": (0.12, -16), "Latino": (0.57, -10),
                           "White": (0.16, 27), "Asian": (0.06, 30),
                           "English Learners": (0.11, -22),
                           "Students with Disabilities": (0.13, -22),
                           "Socioeconomically Disadvantaged": (0.63, -9)},
                   notes={"2020-21": DISTANCE + "; low test participation"})),
    ind("el_reclass", "R2", "English learners reclassified as fluent",
        "Estudiantes de inglés reclasificados como competentes", "percent", "up",
        "school_year", "secondary", "modelled on CDE DataQuest reclassification data",
        "Percent of English learners who became fluent in English during the year.",
        "Porcentaje de estudiantes de inglés que alcanzaron la competencia en inglés durante "
        "el año.",
        "Students reclassified as Fluent English Proficient (RFEP) during the school year "
        "divided by English learners enrolled at census day of the prior year.",
        min_n=11,
        model=dict(path=(13, 11), sd=0.6, shock={"2018-19": -4, "2019-20": -3, "2020-21": -4},
                   den=(2350, 1900),
                   notes={"2018-19": "Method change: new state test (ELPAC replaced CELDT)"})),
    ind("college_persistence", "R2", "Graduates still in college in their second year",
        "Graduados que siguen en la universidad en su segundo año", "percent", "up",
        "school_year", "development",
        "no data source yet (data development agenda; National Student Clearinghouse wanted)",
        "Percent of graduates who enroll in college and are still enrolled a year later.",
        "Porcentaje de graduados que se inscriben en la universidad y siguen inscritos un año "
        "después.",
        "Wanted: graduates enrolled in a postsecondary institution in the fall after "
        "graduation and again the following fall, divided by graduates.", min_n=11),
    # ---------------------------------------------------------------- R3 engaged youth
    ind("youth_employment", "R3", "Youth aged 16-19 who have a job",
        "Jóvenes de 16 a 19 años con empleo", "percent", "up", "year", "headline",
        "modelled on the American Community Survey (ACS)",
        "Percent of young people aged 16 to 19 who are working.",
        "Porcentaje de jóvenes de 16 a 19 años que trabajan.",
        "Civilian population aged 16-19 employed divided by the population aged 16-19; "
        "Pasadena, Altadena and Sierra Madre combined.",
        model=dict(path=(29, 34), sd=0.9, shock={"2020": -8, "2021": -3.5},
                   den=(9100, 8600))),
    ind("youth_program_enroll", "R3", "Youth enrolled in city youth programs",
        "Jóvenes inscritos en programas juveniles de la ciudad", "count", "up", "quarter",
        "headline", "modelled on City of Pasadena recreation registration records",
        "Number of young people aged 5-18 enrolled in city recreation, after-school and "
        "teen programs during the quarter.",
        "Número de jóvenes de 5 a 18 años inscritos en programas recreativos, extraescolares "
        "y para adolescentes de la ciudad durante el trimestre.",
        "Unduplicated participants aged 5-18 with at least one enrollment in a Human Services "
        "and Recreation youth program during the calendar quarter.",
        model=dict(path=(2550, 2950), sd=0.04, season=(0.95, 0.9, 1.35, 0.85), covid=True,
                   notes={"2020-Q2": "Facilities closed; virtual programs only"})),
    ind("extracurricular", "R3", "Students in extracurricular activities",
        "Estudiantes en actividades extracurriculares", "percent", "up", "school_year",
        "headline", "modelled on district activity rosters",
        "Percent of students in grades 6-12 who take part in at least one school club, team "
        "or activity.",
        "Porcentaje de estudiantes de 6.º a 12.º grado que participan en al menos un club, "
        "equipo o actividad escolar.",
        "Students in grades 6-12 on at least one roster of a school-sponsored club, sport or "
        "activity during the year, divided by grade 6-12 enrollment on census day.",
        min_n=11,
        model=dict(path=(61, 65), sd=0.9, shock={"2020-21": -24, "2021-22": -7},
                   den=(7600, 6800), notes={"2020-21": DISTANCE})),
    ind("career_pathway", "R3", "High school students in a career pathway",
        "Estudiantes de preparatoria en una trayectoria profesional", "percent", "up",
        "school_year", "secondary", "modelled on district Linked Learning enrollment",
        "Percent of high school students enrolled in a career pathway academy.",
        "Porcentaje de estudiantes de preparatoria inscritos en una academia de trayectoria "
        "profesional.",
        "Students in grades 9-12 enrolled in a certified Linked Learning pathway divided by "
        "grade 9-12 enrollment on census day.",
        min_n=11, model=dict(path=(38, 53), sd=0.9, den=(4450, 3950))),
    ind("youth_voice", "R3", "Youth who feel heard in their community",
        "Jóvenes que sienten que su voz cuenta en su comunidad", "percent", "up", "year",
        "development", "no data source yet (data development agenda; youth survey planned)",
        "Percent of young people who say adults in their community listen to their ideas.",
        "Porcentaje de jóvenes que dicen que los adultos de su comunidad escuchan sus ideas.",
        "Wanted: respondents aged 12-18 agreeing or strongly agreeing with 'Adults in my "
        "community listen to what I have to say' on a citywide youth survey."),
    # ---------------------------------------------------------------- R4 healthy students
    ind("child_obesity", "R4", "Students with an unhealthy weight",
        "Estudiantes con un peso no saludable", "percent", "down", "school_year", "headline",
        "modelled on Physical Fitness Test (FITNESSGRAM) results",
        "Percent of 5th, 7th and 9th graders whose body mass index puts their health at risk.",
        "Porcentaje de estudiantes de 5.º, 7.º y 9.º grado cuyo índice de masa corporal pone "
        "en riesgo su salud.",
        "Students in grades 5, 7 and 9 in the Needs Improvement or Health Risk zone for body "
        "composition divided by students tested.",
        dims="city", min_n=11,
        model=dict(path=(37.5, 40), sd=0.7, shock={"2020-21": 2.5, "2021-22": 2.5,
                                                    "2022-23": 1.2},
                   missing={"2019-20": "Not available: fitness test not given"},
                   den=(3350, 2950), den_shock={"2020-21": 0.55},
                   cities={"Pasadena": (0.76, 0), "Altadena": (0.185, 2),
                           "Sierra Madre": (0.055, -11)},
                   notes={"2020-21": DISTANCE + "; about half of students tested"})),
    ind("asthma_er_visits", "R4", "Emergency-room visits for childhood asthma",
        "Visitas a la sala de emergencias por asma infantil", "rate", "down", "quarter",
        "headline", "modelled on LA County Department of Public Health emergency "
        "department data",
        "Emergency-room visits for asthma by children under 18, per 10,000 children, in "
        "the quarter.",
        "Visitas a la sala de emergencias por asma de niños menores de 18 años, por cada "
        "10000 niños, en el trimestre.",
        "Emergency department visits with a primary diagnosis of asthma (ICD-10 J45) by "
        "residents aged 0-17 during the quarter, divided by the population aged 0-17, "
        "times 10,000.",
        per=10000,
        model=dict(path=(12.5, 10.5), sd=0.5, season=(1.15, 0.95, 0.7, 1.2), covid=True,
                   den=(38600, 35200),
                   notes={"2020-Q2": "Stay-at-home orders: fewer emergency visits overall"})),
    ind("school_connected", "R4", "Students who feel connected to school",
        "Estudiantes que se sienten conectados con su escuela", "percent", "up",
        "school_year", "headline", "modelled on the California Healthy Kids Survey (CHKS)",
        "Percent of 7th, 9th and 11th graders who feel close to people at school and happy "
        "to be there.",
        "Porcentaje de estudiantes de 7.º, 9.º y 11.º grado que se sienten cercanos a las "
        "personas de su escuela y contentos de estar allí.",
        "Respondents in grades 7, 9 and 11 with a high score on the CHKS school "
        "connectedness scale divided by respondents answering the scale.",
        min_n=11,
        model=dict(path=(58, 55), sd=0.9, shock={"2020-21": -6, "2021-22": -3},
                   den=(2450, 2150), den_shock={"2020-21": 0.7},
                   notes={"2020-21": DISTANCE + "; survey taken online"})),
    ind("chronic_sadness", "R4", "Teens reporting chronic sadness or hopelessness",
        "Adolescentes que reportan tristeza o desesperanza crónica", "percent", "down",
        "school_year", "secondary", "modelled on the California Healthy Kids Survey (CHKS)",
        "Percent of 9th and 11th graders who felt sad or hopeless almost every day for two "
        "weeks or more in the past year.",
        "Porcentaje de estudiantes de 9.º y 11.º grado que se sintieron tristes o sin "
        "esperanza casi todos los días durante dos semanas o más en el último año.",
        "Respondents in grades 9 and 11 answering yes to the CHKS chronic sadness item "
        "divided by respondents answering the item.",
        min_n=11,
        model=dict(path=(30, 33), sd=0.8, shock={"2020-21": 4, "2021-22": 3, "2022-23": 1},
                   den=(1550, 1380), den_shock={"2020-21": 0.7})),
    ind("dental_visit", "R4", "Children with a dental visit in the past year",
        "Niños que visitaron al dentista en el último año", "percent", "up", "year",
        "development", "no data source yet (data development agenda)",
        "Percent of children aged 1-17 who saw a dentist in the past year.",
        "Porcentaje de niños de 1 a 17 años que fueron al dentista en el último año.",
        "Wanted: children aged 1-17 with a preventive dental visit in the year; candidate "
        "sources are Medi-Cal dental utilization and school oral-health screenings."),
    # ---------------------------------------------------------------- R5 stable environments
    ind("chronic_absence", "R5", "Chronic absence rate", "Tasa de ausentismo crónico",
        "percent", "down", "school_year", "headline",
        "modelled on CDE DataQuest chronic absenteeism data",
        "Percent of students who miss 10% or more of the school days they were enrolled, "
        "for any reason.",
        "Porcentaje de estudiantes que faltan al 10 % o más de los días escolares en que "
        "estuvieron inscritos, por cualquier motivo.",
        "Students in K-12 enrolled at least 31 instructional days and absent on 10% or more "
        "of the days enrolled, divided by those students (CDE chronic absenteeism method).",
        "Estudiantes de K-12 inscritos al menos 31 días de instrucción que faltaron al 10 % o "
        "más de los días, dividido entre esos estudiantes.",
        dims="student_group, city", min_n=11,
        model=dict(path=[11.0, 10.6, 11.3, None, 15.5, 27.0, 23.5, 19.5, 17.2, 16.1], sd=0.4,
                   missing={"2019-20": "Not reported: school closures from March 2020"},
                   den=(16600, 14100),
                   groups={"African American": (0.13, 1.7), "Latino": (0.57, 1.25),
                           "White": (0.16, 0.6), "Asian": (0.05, 0.45),
                           "English Learners": (0.15, 1.15),
                           "Students with Disabilities": (0.14, 1.6),
                           "Socioeconomically Disadvantaged": (0.64, 1.3)}, mult=True,
                   cities={"Pasadena": (0.76, 1.0), "Altadena": (0.185, 1.18),
                           "Sierra Madre": (0.055, 0.55)},
                   city_shock={("Altadena", "2024-25"): 1.35, ("Altadena", "2025-26"): 1.15},
                   notes={"2020-21": DISTANCE,
                          "2024-25": "Eaton Fire (January 2025) displaced many Altadena "
                                     "families"})),
    ind("suspension_rate", "R5", "Suspension rate", "Tasa de suspensiones", "percent",
        "down", "school_year", "headline", "modelled on CDE DataQuest suspension data",
        "Percent of students suspended from school at least once during the year.",
        "Porcentaje de estudiantes suspendidos de la escuela al menos una vez durante el año.",
        "Unduplicated students with one or more in-school or out-of-school suspensions "
        "divided by cumulative enrollment.",
        dims="student_group", min_n=11,
        model=dict(path=(3.7, 2.7), sd=0.12, shock={"2019-20": -0.9, "2020-21": -3.2},
                   den=(16900, 14400),
                   groups={"African American": (0.13, 2.8), "Latino": (0.57, 1.12),
                           "White": (0.16, 0.45), "Asian": (0.05, 0.3),
                           "English Learners": (0.15, 1.0),
                           "Students with Disabilities": (0.14, 2.0),
                           "Socioeconomically Disadvantaged": (0.64, 1.25)}, mult=True,
                   notes={"2019-20": "Schools closed from March 2020", "2020-21": DISTANCE})),
    ind("student_homeless", "R5", "Students experiencing homelessness", "Estudiantes sin hogar",
        "count", "down", "school_year", "headline",
        "modelled on district McKinney-Vento counts (CDE DataQuest)",
        "Number of students identified as lacking a fixed, regular and adequate place to "
        "sleep at night, including families doubled up with others.",
        "Número de estudiantes identificados como sin un lugar fijo, regular y adecuado donde "
        "dormir, incluidas las familias que comparten vivienda con otras.",
        "Students enrolled at any time in the year and identified as homeless under the "
        "McKinney-Vento Act (sheltered, unsheltered, motels, doubled-up), by city of "
        "residence.",
        dims="city", min_n=11,
        model=dict(path=(760, 850), sd=0.03, shock={"2020-21": 0.78},
                   cities={"Pasadena": (0.83, 0), "Altadena": (0.16, 0)},
                   city_shock={("Altadena", "2024-25"): 3.1, ("Altadena", "2025-26"): 2.2},
                   count_override={("Sierra Madre", p): n for p, n in zip(
                       SCHOOL_YEARS, [7, 9, 12, 8, 4, 6, 10, 13, 15, 11], strict=True)},
                   notes={"2020-21": DISTANCE + "; fewer students identified",
                          "2024-25": "Eaton Fire (January 2025) displaced many Altadena "
                                     "families"})),
    ind("juvenile_arrests", "R5", "Juvenile arrests", "Arrestos de menores", "rate", "down",
        "year", "headline",
        "modelled on Pasadena Police Department and LA County Sheriff's Department data",
        "Arrests of young people aged 10 to 17, per 1,000 young people of that age.",
        "Arrestos de jóvenes de 10 a 17 años por cada 1000 jóvenes de esa edad.",
        "Arrests (felony, misdemeanor and status offenses) of residents aged 10-17 in the "
        "calendar year divided by the population aged 10-17, times 1,000.",
        per=1000, dims="city",
        model=dict(path=(12.5, 5.2), sd=0.35, shock={"2020": -1.8}, den=(18200, 16900),
                   cities={"Pasadena": (0.745, 1.1), "Altadena": (0.2, 0.85),
                           "Sierra Madre": (0.055, 0.35)}, mult=True)),
    ind("child_maltreatment", "R5", "Substantiated child abuse and neglect",
        "Casos confirmados de maltrato y abandono infantil", "rate", "down", "year",
        "secondary", "modelled on the California Child Welfare Indicators Project (CCWIP)",
        "Children with a confirmed report of abuse or neglect, per 1,000 children.",
        "Niños con un reporte confirmado de maltrato o abandono, por cada 1000 niños.",
        "Unduplicated children aged 0-17 with a substantiated allegation in the year divided "
        "by the population aged 0-17, times 1,000.",
        per=1000,
        model=dict(path=(7.4, 6.1), sd=0.25, shock={"2020": -1.4, "2021": -0.6},
                   den=(38600, 35200),
                   notes={"2020": "Fewer reports while schools were closed"})),
    # ---------------------------------------------------------------- R6 family engagement
    ind("family_engagement", "R6", "Parents who say the school seeks their input",
        "Padres que dicen que la escuela pide su opinión", "percent", "up", "school_year",
        "headline", "modelled on the district's annual family survey (CSPS)",
        "Percent of parents answering the family survey who agree the school actively seeks "
        "their input.",
        "Porcentaje de padres que responden la encuesta para familias y están de acuerdo en "
        "que la escuela busca activamente su opinión.",
        "Respondents agreeing or strongly agreeing with 'This school actively seeks the input "
        "of parents before making important decisions' divided by respondents answering the "
        "item, by city of residence.",
        dims="city", min_n=11,
        model=dict(path=(61, 70), sd=0.9, shock={"2020-21": -3}, den=(1720, 1650),
                   den_shock={"2020-21": 0.55, "2021-22": 0.8},
                   cities={"Pasadena": (0.77, 0), "Altadena": (0.2, -2),
                           "Sierra Madre": (0.03, 4)},
                   den_override={("Sierra Madre", "2020-21"): 9,
                                 ("Sierra Madre", "2021-22"): 10},
                   notes={"2020-21": DISTANCE + "; survey online only"})),
    ind("parent_conference", "R6", "Families attending parent-teacher conferences",
        "Familias que asisten a las conferencias de padres y maestros", "percent", "up",
        "school_year", "headline", "modelled on district conference sign-in records",
        "Percent of K-8 students whose family attended at least one parent-teacher "
        "conference.",
        "Porcentaje de estudiantes de kínder a 8.º grado cuya familia asistió al menos a una "
        "conferencia de padres y maestros.",
        "K-8 students with at least one conference logged (in person, phone or video) divided "
        "by K-8 enrollment on census day.",
        min_n=11,
        model=dict(path=(77, 84), sd=0.8, shock={"2019-20": -2, "2020-21": -5},
                   den=(10100, 8550), notes={"2020-21": DISTANCE + "; video conferences"})),
    ind("family_workshop_attend", "R6", "Parents attending family workshops",
        "Padres que asisten a talleres para familias", "count", "up", "quarter", "headline",
        "modelled on Parent University and family literacy sign-in sheets",
        "Number of parents and caregivers attending family workshops (Parent University, "
        "family literacy nights) in the quarter.",
        "Número de padres y cuidadores que asisten a talleres para familias (Universidad "
        "para Padres, noches de lectura en familia) en el trimestre.",
        "Attendances (not unduplicated people) recorded at district and library family "
        "workshops during the calendar quarter.",
        model=dict(path=(430, 660), sd=0.06, season=(1.1, 1.05, 0.55, 1.15), covid=True,
                   notes={"2020-Q2": "Workshops moved online"})),
    ind("library_cards", "R6", "Children with a library card", "Niños con tarjeta de la "
        "biblioteca", "percent", "up", "year", "secondary",
        "modelled on Pasadena Public Library and Altadena Library District patron records",
        "Percent of children under 18 who have an active public library card.",
        "Porcentaje de niños menores de 18 años que tienen una tarjeta activa de la "
        "biblioteca pública.",
        "Active cardholders aged 0-17 (used in the past three years) divided by the "
        "population aged 0-17.",
        model=dict(path=(44, 53), sd=0.6, shock={"2020": -2.5}, den=(38600, 35200),
                   notes={"2019": "Fines for children's materials eliminated"})),
    ind("family_welcome_score", "R6", "How welcome families feel at school",
        "Qué tan bienvenidas se sienten las familias en la escuela", "score", "up",
        "school_year", "secondary", "modelled on the district's annual family survey",
        "Average answer of families to 'I feel welcome at my child's school', from 1 "
        "(strongly disagree) to 5 (strongly agree).",
        "Respuesta promedio de las familias a 'Me siento bienvenido en la escuela de mi "
        "hijo', de 1 (totalmente en desacuerdo) a 5 (totalmente de acuerdo).",
        "Mean of item responses coded 1-5 among family survey respondents.",
        min_n=11, model=dict(path=(3.92, 4.18), sd=0.03, decimals=2, shock={"2020-21": -0.08})),
    ind("parent_read_daily", "R6", "Parents who read with their young child every day",
        "Padres que leen con su hijo pequeño todos los días", "percent", "up", "year",
        "development", "no data source yet (data development agenda)",
        "Percent of parents of children under 6 who read or tell stories with their child "
        "every day.",
        "Porcentaje de padres de niños menores de 6 años que leen o cuentan cuentos con su "
        "hijo todos los días.",
        "Wanted: a question on a parent survey or pediatric well-child visit screening."),
    # ---------------------------------------------------------------- R7 desirable place
    ind("park_access", "R7", "Residents within a 10-minute walk of a park",
        "Residentes a 10 minutos a pie de un parque", "percent", "up", "year", "headline",
        "modelled on a park-access GIS analysis (half-mile walking network)",
        "Percent of residents who live within a 10-minute walk of a public park or open "
        "space.",
        "Porcentaje de residentes que viven a 10 minutos a pie de un parque público o "
        "espacio abierto.",
        "Residents in census blocks within a half-mile network walk of a public park entrance "
        "divided by total residents.",
        dims="city",
        model=dict(path=(69.5, 73.5), sd=0.15, den=(192000, 186000), den_sd=0.002,
                   den_shock={"2025": 0.975},
                   cities={"Pasadena": (0.72, 3.5), "Altadena": (0.22, -13),
                           "Sierra Madre": (0.06, 9)},
                   city_den_shock={("Altadena", "2025"): 0.89},
                   notes={"2025": "Altadena population reduced after the Eaton Fire"})),
    ind("pusd_enroll_share", "R7", "School-age children attending PUSD schools",
        "Niños en edad escolar que asisten a escuelas del PUSD", "percent", "up",
        "school_year", "headline", "modelled on ACS and CDE enrollment data",
        "Percent of school-age children living in the district who attend its public schools.",
        "Porcentaje de niños en edad escolar que viven en el distrito y asisten a sus escuelas "
        "públicas.",
        "PUSD K-12 census-day enrollment of district residents divided by the estimated "
        "population aged 5-17 living in the district boundary.",
        model=dict(path=(59.5, 61.0), sd=0.4, shock={"2020-21": -1.5, "2021-22": -1.0},
                   den=(26400, 23200))),
    ind("child_poverty", "R7", "Children living in poverty", "Niños que viven en la pobreza",
        "percent", "down", "year", "headline",
        "modelled on the American Community Survey (ACS)",
        "Percent of children under 18 living in households below the federal poverty line.",
        "Porcentaje de niños menores de 18 años que viven en hogares por debajo del umbral "
        "federal de pobreza.",
        "Children aged 0-17 for whom poverty status is determined with income below the "
        "poverty threshold divided by children for whom poverty status is determined.",
        model=dict(path=(17.2, 13.4), sd=0.5, shock={"2020": 0.8}, den=(38000, 34700))),
    ind("median_family_income", "R7", "Median income of families with children",
        "Ingreso mediano de las familias con hijos", "currency", "up", "year", "secondary",
        "modelled on the American Community Survey (ACS)",
        "The middle income of families with children under 18: half earn more, half less.",
        "El ingreso del medio de las familias con hijos menores de 18 años: la mitad gana más "
        "y la mitad gana menos.",
        "Median family income in the past 12 months (inflation-adjusted dollars of the survey "
        "year), families with own children under 18, Pasadena city.",
        model=dict(path=(96500, 121000), sd=1500, decimals=0, shock={"2020": -2500})),
    ind("graffiti_311", "R7", "Graffiti reports to 311", "Reportes de grafiti al 311",
        "count", "down", "quarter", "secondary",
        "modelled on City of Pasadena Citizen Service Center (311) requests",
        "Number of graffiti removal requests made to the city's 311 service in the quarter.",
        "Número de solicitudes de eliminación de grafiti hechas al servicio 311 de la ciudad "
        "en el trimestre.",
        "Service requests of type 'Graffiti' created in the 311 system during the calendar "
        "quarter, duplicates merged.",
        model=dict(path=(840, 960), sd=0.06, season=(0.95, 1.05, 1.1, 0.9),
                   shock={"2020-Q2": 1.18, "2020-Q3": 1.12},
                   notes={"2022-Q3": "Online 311 reporting app launched"})),
    ind("housing_burden", "R7", "Families with children paying half their income or more "
        "for housing", "Familias con hijos que pagan la mitad o más de sus ingresos en "
        "vivienda", "percent", "down", "year", "development",
        "no data source yet (data development agenda)",
        "Percent of families with children who spend at least half of their income on rent "
        "or mortgage.",
        "Porcentaje de familias con hijos que gastan al menos la mitad de sus ingresos en "
        "alquiler o hipoteca.",
        "Wanted: families with own children under 18 with housing costs of 50% or more of "
        "household income (ACS microdata, PUMS)."),
]

# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def ratio_cell(num: int, den: int, scale: int) -> str | None:
    """value = num / den * scale rounded to one decimal; None if that is a rounding tie."""
    exact = Fraction(num * scale, den)
    tenths = exact * 10
    floor = tenths.numerator // tenths.denominator
    if tenths - floor == Fraction(1, 2):
        return None  # a tie: the caller nudges the denominator
    rounded = floor + (1 if tenths - floor > Fraction(1, 2) else 0)
    return _tenths(rounded)


def _tenths(n: int) -> str:
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 10}.{n % 10}"


def ratio_row(num: int, den: int, scale: int) -> tuple[int, int, str]:
    while True:
        cell = ratio_cell(num, den, scale)
        if cell is not None:
            return num, den, cell
        den += 1


def lerp(pair, n: int) -> np.ndarray:
    if isinstance(pair, list):
        return np.array([np.nan if v is None else v for v in pair], dtype=float)
    start, end = pair
    return np.linspace(start, end, n)


def blank_row(code: str, period: str, note: str, status: str) -> dict:
    return dict(indicator=code, period=period, value="", numerator="", denominator="",
                status=status, note=note, student_group="", city="")


def figure_row(code, period, value, num="", den="", status="final", note="", **dims) -> dict:
    row = dict(indicator=code, period=period, value=value, numerator=num, denominator=den,
               status=status, note=note, student_group="", city="")
    row.update(dims)
    return row


def fmt_number(x: float, decimals: int) -> str:
    if decimals == 0:
        return str(int(round(x)))
    return f"{x:.{decimals}f}"


def observations_for(spec: dict) -> list[dict]:
    code, unit, freq, model = spec["code"], spec["unit"], spec["frequency"], spec["model"]
    if spec["kind"] == "development" or not model:
        return []
    rng = rng_for(code)
    periods = PERIODS[freq]
    n = len(periods)
    last = periods[-1]
    level = lerp(model["path"], n)
    shock = model.get("shock", {})
    season = model.get("season")
    missing = model.get("missing", {})
    notes = model.get("notes", {})
    rows: list[dict] = []

    def status(p: str) -> str:
        return "provisional" if p == last else "final"

    if unit in ("percent", "rate"):
        scale = 100 if unit == "percent" else int(spec["per"])
        den_path = lerp(model["den"], n) if "den" in model else None
        cities = model.get("cities")
        groups = model.get("groups")
        mult = model.get("mult", False)
        narrow = model.get("narrow", 0.0)
        if cities:  # centre the city gaps so the weighted total follows the path
            if mult:
                mean = sum(s * g for s, g in cities.values())
                cities = {c: (s, g / mean) for c, (s, g) in cities.items()}
            else:
                mean = sum(s * g for s, g in cities.values())
                cities = {c: (s, g - mean) for c, (s, g) in cities.items()}
        for t, p in enumerate(periods):
            if p in missing:
                rows.append(blank_row(code, p, missing[p], status(p)))
                continue
            r = level[t]
            if freq == "quarter":
                if season:
                    r *= season[int(p[-1]) - 1]
                if model.get("covid"):
                    r *= COVID_QUARTERS.get(p, 1.0)
            r = r + shock.get(p, 0.0) + rng.normal(0, model["sd"])
            den_total = den_path[t] * model.get("den_shock", {}).get(p, 1.0)
            note = notes.get(p, "")
            if cities:
                city_rows = []
                for c, (share, gap) in cities.items():
                    d = model.get("den_override", {}).get((c, p))
                    if d is None:
                        cshock = model.get("city_den_shock", {}).get((c, p), 1.0)
                        noise = 1 + rng.normal(0, model.get("den_sd", 0.015))
                        d = int(round(den_total * share * cshock * noise))
                    rc = r * gap if mult else r + gap
                    rc *= model.get("city_shock", {}).get((c, p), 1.0)
                    small = d < 200
                    rc += rng.normal(0, model["sd"] * (3 if small else 1.2))
                    rc = float(np.clip(rc, 0.05 * scale / 100, 0.99 * scale))
                    k = int(round(rc / scale * d))
                    city_rows.append([c, k, d])
                # the total is the sum of the cities; nudge Pasadena until no cell is a tie
                while True:
                    cells = [ratio_cell(k, d, scale) for _, k, d in city_rows]
                    tk = sum(k for _, k, _ in city_rows)
                    td = sum(d for _, _, d in city_rows)
                    tcell = ratio_cell(tk, td, scale)
                    if None not in cells and tcell is not None:
                        break
                    bad = next((i for i, x in enumerate(cells) if x is None), 0)
                    if (city_rows[bad][0], p) in model.get("den_override", {}):
                        raise ValueError(f"{code} {p}: fixed denominator gives a tie")
                    city_rows[bad][2] += 1
                rows.append(figure_row(code, p, tcell, tk, td, status(p), note))
                for (c, k, d), cell in zip(city_rows, cells, strict=True):
                    rows.append(figure_row(code, p, cell, k, d, status(p), city=c))
            else:
                d = int(round(den_total))
                k = int(round(r / scale * d))
                k, d, cell = ratio_row(k, d, scale)
                rows.append(figure_row(code, p, cell, k, d, status(p), note))
            if groups:
                frac = t / (n - 1)
                for g, (share, gap) in groups.items():
                    d = int(round(den_total * share * (1 + rng.normal(0, 0.02))))
                    if mult:
                        rg = r * gap
                        rg += rng.normal(0, model["sd"] * gap ** 0.5 * 1.3)
                    else:
                        rg = r + gap * (1 - narrow * frac)
                        damp = min(1.0, max(rg, 1.0) / 15)  # less noise near zero
                        rg += rng.normal(0, model["sd"] * (1.2 + 0.3 / share ** 0.5) * damp)
                    rg = float(np.clip(rg, 0.05 if mult else 1.0, 99.0))
                    k = int(round(rg / scale * d))
                    k, d, cell = ratio_row(k, d, scale)
                    rows.append(figure_row(code, p, cell, k, d, status(p), student_group=g))
        return rows

    if unit == "count":
        cities = model.get("cities")
        for t, p in enumerate(periods):
            if p in missing:
                rows.append(blank_row(code, p, missing[p], status(p)))
                continue
            x = level[t]
            if freq == "quarter":
                if season:
                    x *= season[int(p[-1]) - 1]
                if model.get("covid"):
                    x *= COVID_QUARTERS.get(p, 1.0)
            x *= shock.get(p, 1.0) * (1 + rng.normal(0, model["sd"]))
            note = notes.get(p, "")
            if cities:
                parts = []
                for c, (share, _gap) in cities.items():
                    k = x * share * model.get("city_shock", {}).get((c, p), 1.0)
                    parts.append((c, int(round(k * (1 + rng.normal(0, 0.03))))))
                for (c, _pp), k in model.get("count_override", {}).items():
                    if _pp == p:
                        parts.append((c, k))
                total = sum(k for _, k in parts)
                rows.append(figure_row(code, p, str(total), status=status(p), note=note))
                for c, k in parts:
                    rows.append(figure_row(code, p, str(k), status=status(p), city=c))
            else:
                rows.append(figure_row(code, p, str(int(round(x))), status=status(p),
                                       note=note))
        return rows

    # number, currency, score: a plain value
    decimals = model.get("decimals", 1)
    for t, p in enumerate(periods):
        x = level[t] + shock.get(p, 0.0) + rng.normal(0, model["sd"])
        rows.append(figure_row(code, p, fmt_number(x, decimals), status=status(p),
                               note=notes.get(p, "")))
    return rows


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------
# code: (interim change, final change, rationale); changes are from the latest total value,
# in the indicator's own unit (percentage points for percents), relative for counts.

TARGET_PLAN = {
    "kinder_ready": (2, 5, "Return to the pre-pandemic trend and add a point a year."),
    "preschool_enroll": (1.5, 4, "Match the county's universal TK and preschool expansion."),
    "prenatal_care": (0.5, 1.5, "Reach the Healthy People 2030 direction of travel."),
    "read_3rd": (3, 8, "Set by the Academic Success team: more than half of 3rd graders at "
                       "grade level, while closing gaps faster than the total improves."),
    "grad_rate": (1, 3, "Keep the gains of the past decade and reach the state's high "
                        "performers."),
    "a_g_complete": (2, 6, "Every high school offers a full A-G schedule by default."),
    "cci_prepared": (3, 7, "College and career readiness is the plan's ultimate measure: "
                           "aim for a majority of graduates prepared."),
    "youth_employment": (1, 3, "Grow summer and year-round placements with local employers."),
    "youth_program_enroll": (0.04, 0.1, "Ten percent more youth enrolled than in the same "
                                        "quarter now."),
    "extracurricular": (2, 4, "Every middle and high school student in at least one "
                              "activity."),
    "child_obesity": (-1, -3, "Reverse the rise in unhealthy weight since the pandemic."),
    "asthma_er_visits": (-0.5, -1.5, "Fewer winter visits through asthma action plans and home "
                                     "trigger checks."),
    "school_connected": (2, 5, "Recover the connectedness lost during distance learning."),
    "chronic_absence": (-3, -6, "Keep cutting chronic absence towards the pre-pandemic "
                                  "level of about one student in nine."),
    "suspension_rate": (-0.3, -0.8, "Restorative practices in every school."),
    "student_homeless": (-0.05, -0.2, "Rehouse families displaced since 2025 and prevent new "
                                      "cases."),
    "juvenile_arrests": (-0.4, -1.2, "Keep the decline going with diversion for first "
                                     "offenses."),
    "family_engagement": (2, 5, "Three in four parents say their school seeks their input."),
    "parent_conference": (1, 3, "Every family met at least once a year."),
    "family_workshop_attend": (0.05, 0.15, "Parent University and family literacy nights at "
                                           "every elementary school."),
    "park_access": (0.5, 2, "New pocket parks and joint-use schoolyards in Altadena and "
                            "Northwest Pasadena."),
    "pusd_enroll_share": (0.5, 2, "Stabilise enrollment by growing signature programs."),
    "child_poverty": (-0.5, -2, "Follows the countywide anti-poverty plan."),
}
GROUP_TARGETS = [
    ("read_3rd", "student_group", "African American", 14,
     "Improve faster than all students so the gap narrows."),
    ("read_3rd", "student_group", "Latino", 12,
     "Improve faster than all students so the gap narrows."),
    ("chronic_absence", "city", "Altadena", -8,
     "Recovery after the Eaton Fire: back to Altadena's trend before the fire."),
]
TARGET_PERIODS = {
    "school_year": ("2025-26", "2027-28"),
    "year": ("2026", "2028"),
    "quarter": ("2026-Q4", "2028-Q4"),
}


def latest_total(rows: list[dict], dim: str | None = None, group: str | None = None) -> float:
    totals = [
        r for r in rows
        if r["value"] != "" and (
            (dim is None and r["student_group"] == "" and r["city"] == "")
            or (dim is not None and r[dim] == group)
        )
    ]
    return float(totals[-1]["value"])


def latest_same_quarter(rows: list[dict], quarter: int) -> float:
    same = [r for r in rows if r["student_group"] == "" and r["city"] == ""
            and r["period"].endswith(f"Q{quarter}") and r["value"] != ""]
    return float(same[-1]["value"])


def targets_for(spec: dict, rows: list[dict]) -> list[dict]:
    code = spec["code"]
    if code not in TARGET_PLAN or not rows:
        return []
    interim, final, why = TARGET_PLAN[code]
    freq = spec["frequency"]
    out = []
    for period, change, label in zip(TARGET_PERIODS[freq], (interim, final),
                                     ("Interim target", "Target"), strict=True):
        base = (latest_same_quarter(rows, int(period[-1])) if freq == "quarter"
                else latest_total(rows))
        if spec["unit"] == "count":
            value = str(int(round(base * (1 + change), -1)))
        else:
            value = _tenths(int(round((base + change) * 2)) * 5)  # nearest half point
            if spec["unit"] == "percent":
                value = f"{min(float(value), 99.0):.1f}"
        out.append(dict(indicator=code, period=period, value=value,
                        rationale=f"{label}. {why}", student_group="", city=""))
    for gcode, dim, group, change, why in GROUP_TARGETS:
        if gcode == code:
            base = latest_total(rows, dim, group)
            value = f"{round(base + change):.1f}"
            row = dict(indicator=code, period=TARGET_PERIODS[freq][1], value=value,
                       rationale=f"Equity target. {why}", student_group="", city="")
            row[dim] = group
            out.append(row)
    return out


# --------------------------------------------------------------------------------------------
# Partners, programs, measures
# --------------------------------------------------------------------------------------------

PUSD = "Pasadena Unified School District"
CITY = "City of Pasadena"
PARTNERS = [
    (PUSD, "school_district", "https://www.pusd.us"),
    (CITY, "city", "https://www.cityofpasadena.net"),
    ("Los Angeles County Department of Public Health", "county",
     "http://publichealth.lacounty.gov"),
    ("Los Angeles County Department of Children and Family Services", "county", ""),
    ("City of Sierra Madre", "city", ""),
    ("Pasadena Public Library", "city", ""),
    ("Altadena Library District", "other", ""),
    ("Pasadena City College", "other", ""),
    ("Pasadena Educational Foundation", "nonprofit", ""),
    ("Flintridge Center", "nonprofit", ""),
    ("Clergy Community Coalition", "faith", ""),
    ("Pasadena Chamber of Commerce", "business", ""),
    ("Arroyo Youth Mentors", "nonprofit", ""),
    ("Foothill Family Health Clinic", "nonprofit", ""),
    ("Foothill Literacy Partners", "nonprofit", ""),
    ("Families Forward Pasadena", "nonprofit", ""),
    ("Rose City Youth Jobs Alliance", "nonprofit", ""),
]

PROGRAMS = [
    dict(code="summer_learning", name="Summer Learning Academy",
         name_es="Academia de Aprendizaje de Verano",
         description="Five weeks of morning literacy and math with afternoon enrichment at "
                     "city parks and libraries.",
         description_es="Cinco semanas de lectoescritura y matemáticas por la mañana, con "
                        "actividades de enriquecimiento por la tarde en parques y bibliotecas "
                        "de la ciudad.",
         lead_partner=PUSD,
         partners=[CITY, "Pasadena Public Library", "Pasadena Educational Foundation"],
         results=["R2", "R3"], indicators=["read_3rd", "math_8th"],
         population="Students in grades K-8, priority to those reading below grade level",
         annual_funding=850000),
    dict(code="dual_language", name="Dual Language Immersion",
         name_es="Inmersión en Dos Idiomas",
         description="Instruction in English and Spanish, Mandarin or Armenian from "
                     "transitional kindergarten through 8th grade.",
         description_es="Enseñanza en inglés y en español, mandarín o armenio desde el kínder "
                        "de transición hasta el 8.º grado.",
         lead_partner=PUSD, partners=["Pasadena Educational Foundation"],
         results=["R2"], indicators=["read_3rd", "el_reclass"],
         population="Students in TK-8 at dual language immersion schools",
         annual_funding=420000),
    dict(code="teen_steam", name="Teen Education Center STEAM",
         name_es="Centro Educativo para Adolescentes: STEAM",
         description="After-school and summer workshops in science, technology, engineering, "
                     "arts and math, including robotics and the solar boat team.",
         description_es="Talleres extraescolares y de verano de ciencia, tecnología, "
                        "ingeniería, artes y matemáticas, incluidos robótica y el equipo de "
                        "barco solar.",
         lead_partner=CITY, partners=[PUSD, "Pasadena City College"],
         results=["R2", "R3"],
         indicators=["cci_prepared", "youth_program_enroll", "extracurricular"],
         population="Youth aged 12-18", annual_funding=310000),
    dict(code="healthy_start", name="Madison Healthy Start",
         name_es="Healthy Start de Madison",
         description="A school-based family resource center linking families to health "
                     "insurance, clinics, asthma care, food and counselling.",
         description_es="Un centro de recursos familiares en la escuela que conecta a las "
                        "familias con seguro médico, clínicas, atención del asma, alimentos "
                        "y consejería.",
         lead_partner=PUSD,
         partners=["Los Angeles County Department of Public Health",
                   "Foothill Family Health Clinic"],
         results=["R4", "R5"], indicators=["asthma_er_visits", "child_obesity",
                                           "chronic_absence"],
         population="Families at Madison Elementary and nearby Northwest Pasadena schools",
         annual_funding=275000),
    dict(code="attendance_outreach", name="Every Day Counts Attendance Outreach",
         name_es="Cada Día Cuenta: Promoción de la Asistencia",
         description="Attendance clerks and community volunteers call and visit families of "
                     "students who are missing school.",
         description_es="Personal de asistencia y voluntarios de la comunidad llaman y visitan "
                        "a las familias de los estudiantes que faltan a la escuela.",
         lead_partner=PUSD,
         partners=["Clergy Community Coalition", "Families Forward Pasadena"],
         results=["R5"], indicators=["chronic_absence"],
         population="Students in grades K-8 who are chronically absent or at risk",
         annual_funding=190000),
    dict(code="attendance_mentors", name="Attendance Mentors",
         name_es="Mentores de Asistencia",
         description="Trained adult mentors meet weekly with students who miss school.",
         description_es="Mentores adultos capacitados se reúnen cada semana con estudiantes "
                        "que faltan a la escuela.",
         lead_partner="Arroyo Youth Mentors", partners=[PUSD],
         results=["R5"], indicators=["chronic_absence"],
         population="Students in grades K-8 who are chronically absent or at risk",
         annual_funding=85000),
    dict(code="youth_jobs", name="Pasadena Youth Employment Program",
         name_es="Programa de Empleo Juvenil de Pasadena",
         description="Paid summer and year-round work experience with job readiness "
                     "training and employer mentors.",
         description_es="Experiencia laboral pagada en verano y durante todo el año, con "
                        "capacitación para el empleo y mentores de los empleadores.",
         lead_partner=CITY,
         partners=["Pasadena Chamber of Commerce", "Rose City Youth Jobs Alliance",
                   "Pasadena City College"],
         results=["R3", "R7"], indicators=["youth_employment"],
         population="Youth aged 14-24 in Pasadena, Altadena and Sierra Madre",
         annual_funding=1200000),
    dict(code="family_literacy", name="Family Literacy Nights",
         name_es="Noches de Lectura en Familia",
         description="Evening sessions where parents and children read together, borrow "
                     "books and get library cards.",
         description_es="Sesiones nocturnas donde padres e hijos leen juntos, toman libros "
                        "prestados y obtienen tarjetas de la biblioteca.",
         lead_partner="Pasadena Public Library",
         partners=["Foothill Literacy Partners", PUSD, "Altadena Library District"],
         results=["R6", "R2"],
         indicators=["family_workshop_attend", "library_cards", "read_3rd"],
         population="Parents and caregivers of children aged 0-8", annual_funding=95000),
    dict(code="youth_diversion", name="Youth Diversion and Reentry",
         name_es="Desvío y Reintegración Juvenil",
         description="Case management and restorative circles instead of court for "
                     "first-time youth offenses.",
         description_es="Manejo de casos y círculos restaurativos en lugar del tribunal para "
                        "jóvenes con una primera infracción.",
         lead_partner="Flintridge Center", partners=[CITY, "Clergy Community Coalition"],
         results=["R5"], indicators=["juvenile_arrests"],
         population="Youth aged 12-17 in Northwest Pasadena and Altadena", annual_funding=""),
]

# code, program, name, name_es, kind, unit, polarity, frequency, model
# model for counts: (start, end); for percents: (start %, end %, denominator start, end)
MEASURES = [
    ("summer_served", "summer_learning", "Students served", "Estudiantes atendidos",
     "how_much", "count", "up", "school_year", (1450, 1900)),
    ("summer_attendance", "summer_learning", "% of enrolled students attending 80% of days",
     "% de estudiantes inscritos que asisten al 80 % de los días", "how_well", "percent", "up",
     "school_year", (71, 79, 1450, 1900)),
    ("summer_cost_per", "summer_learning", "Cost per student served",
     "Costo por estudiante atendido", "how_well", "currency", "down", "school_year",
     (640, 455)),
    ("summer_reading_up", "summer_learning", "% of participants improving reading level",
     "% de participantes que mejoran su nivel de lectura", "better_off", "percent", "up",
     "school_year", (48, 58, 1200, 1650)),
    ("dli_enrolled", "dual_language", "Students enrolled in dual language immersion",
     "Estudiantes inscritos en inmersión en dos idiomas", "how_much", "count", "up",
     "school_year", (1850, 2300)),
    ("dli_authorized", "dual_language", "% of teachers with a bilingual authorization",
     "% de maestros con autorización bilingüe", "how_well", "percent", "up", "school_year",
     (82, 93, 88, 104)),
    ("dli_biliteracy", "dual_language", "% of 8th graders on track for the Seal of Biliteracy",
     "% de estudiantes de 8.º grado encaminados al Sello de Bilingüismo", "better_off",
     "percent", "up", "school_year", (55, 66, 140, 185)),
    ("steam_enrolled", "teen_steam", "Youth enrolled in STEAM workshops",
     "Jóvenes inscritos en talleres STEAM", "how_much", "count", "up", "quarter", (160, 240)),
    ("steam_on_time", "teen_steam", "% of sessions delivered on time",
     "% de sesiones impartidas a tiempo", "how_well", "percent", "up", "quarter",
     (88, 95, 90, 120)),
    ("steam_hours", "teen_steam", "Average hours attended per youth",
     "Promedio de horas de asistencia por joven", "how_well", "number", "up", "quarter",
     (14, 19)),
    ("steam_confident", "teen_steam", "% of youth more confident in STEAM skills",
     "% de jóvenes con más confianza en sus habilidades STEAM", "better_off", "percent", "up",
     "quarter", (64, 74, 120, 190)),
    ("hs_families", "healthy_start", "Families served", "Familias atendidas", "how_much",
     "count", "up", "school_year", (410, 560)),
    ("hs_followup_7day", "healthy_start", "% of referrals followed up within 7 days",
     "% de referencias con seguimiento en 7 días", "how_well", "percent", "up", "school_year",
     (68, 86, 520, 700)),
    ("hs_asthma_plan", "healthy_start", "% of children with asthma who have an action plan",
     "% de niños con asma que tienen un plan de acción", "better_off", "percent", "up",
     "school_year", (41, 67, 95, 130)),
    ("att_home_visits", "attendance_outreach", "Home visits made",
     "Visitas al hogar realizadas", "how_much", "count", "up", "quarter", (210, 330)),
    ("att_contact_10day", "attendance_outreach",
     "% of at-risk students contacted within 10 days",
     "% de estudiantes en riesgo contactados en 10 días", "how_well", "percent", "up",
     "quarter", (62, 81, 380, 460)),
    ("att_improved", "attendance_outreach", "% of students served whose attendance improved",
     "% de estudiantes atendidos cuya asistencia mejoró", "better_off", "percent", "up",
     "quarter", (44, 53, 300, 420)),
    ("mentor_matched", "attendance_mentors", "Students matched with a mentor",
     "Estudiantes asignados a un mentor", "how_much", "count", "up", "school_year",
     (60, 140)),
    ("mentor_full_year", "attendance_mentors", "% of mentor matches lasting the school year",
     "% de parejas de mentoría que duran todo el año escolar", "how_well", "percent", "up",
     "school_year", (70, 82, 60, 140)),
    ("mentor_not_chronic", "attendance_mentors",
     "% of mentored students no longer chronically absent",
     "% de estudiantes con mentor que ya no tienen ausentismo crónico", "better_off",
     "percent", "up", "school_year", (38, 51, 55, 130)),
    ("jobs_placed", "youth_jobs", "Youth placed in paid work experience",
     "Jóvenes colocados en experiencias laborales pagadas", "how_much", "count", "up",
     "quarter", (140, 190)),
    ("jobs_employer_rating", "youth_jobs", "% of employers rating placements satisfactory",
     "% de empleadores que califican las colocaciones como satisfactorias", "how_well",
     "percent", "up", "quarter", (84, 91, 45, 70)),
    ("jobs_completed", "youth_jobs", "% of placed youth completing their work experience",
     "% de jóvenes colocados que completan su experiencia laboral", "better_off", "percent",
     "up", "quarter", (78, 86, 140, 190)),
    ("jobs_6mo", "youth_jobs", "% employed or in school six months later",
     "% con empleo o estudiando seis meses después", "better_off", "percent", "up", "quarter",
     (61, 70, 120, 170)),
    ("fl_nights", "family_literacy", "Family literacy nights held",
     "Noches de lectura en familia realizadas", "how_much", "count", "up", "quarter", (14, 24)),
    ("fl_useful", "family_literacy", "% of families rating the session useful",
     "% de familias que califican la sesión como útil", "how_well", "percent", "up",
     "quarter", (86, 92, 210, 340)),
    ("fl_read_more", "family_literacy", "% of families reading together more after 8 weeks",
     "% de familias que leen juntas más seguido después de 8 semanas", "better_off",
     "percent", "up", "quarter", (52, 64, 90, 160)),
    ("div_referred", "youth_diversion", "Youth referred to diversion",
     "Jóvenes referidos al programa de desvío", "how_much", "count", "up", "quarter",
     (22, 30)),
    ("div_plan_14day", "youth_diversion", "% with a case plan within 14 days",
     "% con un plan de caso en 14 días", "how_well", "percent", "up", "quarter",
     (74, 90, 22, 30)),
    ("div_no_rearrest", "youth_diversion", "% not re-arrested within 12 months",
     "% sin un nuevo arresto en 12 meses", "better_off", "percent", "up", "quarter",
     (79, 86, 18, 28)),
]
MEASURE_PERIODS = {
    "school_year": SCHOOL_YEARS[-7:],  # 2019-20 .. 2025-26
    "quarter": QUARTERS[-8:],  # 2024-Q4 .. 2026-Q3
}
MEASURE_TARGETS = [
    ("summer_reading_up", "2026-27", "62.0", "Program design goal agreed with funders."),
    ("summer_attendance", "2026-27", "85.0", "Attendance is the strongest predictor of gains."),
    ("hs_followup_7day", "2026-27", "90.0", "Standard of the county family resource network."),
    ("att_contact_10day", "2026-Q4", "90.0", "Every at-risk student reached within two weeks."),
    ("jobs_6mo", "2026-Q4", "75.0", "Workforce board performance standard."),
    ("mentor_not_chronic", "2026-27", "55.0", "Matches the national mentoring benchmark."),
    ("div_no_rearrest", "2026-Q4", "88.0", "Keep re-arrests below one in eight."),
]


def measure_rows(m) -> list[dict]:
    code, _prog, _n, _ne, _kind, unit, _pol, freq, model = m
    rng = rng_for("measure:" + code)
    periods = MEASURE_PERIODS[freq]
    if freq == "school_year" and code.startswith(("mentor_", "hs_")):
        periods = periods[-5:]  # newer programs: shorter history
    n = len(periods)
    rows = []
    for t, p in enumerate(periods):
        status = "provisional" if p == periods[-1] else "final"
        frac = t / (n - 1)
        note = ""
        if p == "2020-21" and unit == "count":
            note = "Delivered online"
        if unit == "percent":
            start, end, d0, d1 = model
            d = int(round(d0 + (d1 - d0) * frac + rng.normal(0, 0.03 * d0)))
            r = start + (end - start) * frac + rng.normal(0, 1.5)
            if p == "2020-21":
                r -= 5
            k = int(round(r / 100 * d))
            k, d, cell = ratio_row(k, d, 100)
            rows.append(dict(measure=code, period=p, value=cell, numerator=k, denominator=d,
                             status=status, note=note))
        else:
            start, end = model
            x = start + (end - start) * frac
            if freq == "quarter" and code in ("jobs_placed", "steam_enrolled"):
                x *= (0.7, 0.8, 1.9, 0.8)[int(p[-1]) - 1]  # summer peak
            if p == "2020-21":
                x *= 0.6
            x *= 1 + rng.normal(0, 0.04)
            value = str(int(round(x))) if unit in ("count", "currency") else f"{x:.1f}"
            rows.append(dict(measure=code, period=p, value=value, numerator="",
                             denominator="", status=status, note=note))
    return rows


# --------------------------------------------------------------------------------------------
# Turn-the-curve stories
# --------------------------------------------------------------------------------------------


def story(indicator, team_no, saved_at, sbc, partners, works, plan, sbc_es="", partners_es="",
          works_es="", plan_es=""):
    return dict(indicator=indicator, story_behind_the_curve=sbc,
                story_behind_the_curve_es=sbc_es, partners=partners, partners_es=partners_es,
                what_works=works, what_works_es=works_es, action_plan=plan,
                action_plan_es=plan_es, saved_by=f"Result team {team_no} facilitator",
                saved_at=saved_at)


STORIES = [
    story("kinder_ready", 1, "2025-10-14",
          "Readiness was creeping up until the pandemic, when many children missed "
          "preschool altogether. The new assessment tool introduced in 2021-22 is not "
          "directly comparable with earlier years. Licensed child care spaces keep "
          "shrinking, especially infant care, and families in Northwest Pasadena and "
          "Altadena report long waiting lists.",
          "Pasadena Unified School District; City of Pasadena Human Services and Recreation; "
          "Pasadena Public Library; licensed child care providers; pediatric clinics; "
          "Altadena Library District",
          "Universal transitional kindergarten; home visiting for new parents; "
          "kindergarten registration in the spring so children can attend summer "
          "transition camps. No-cost idea: hand out a 'ready for kindergarten' checklist "
          "and a library card application at every pediatric well-child visit.",
          "1. Publish one early-learning enrollment calendar for all providers (January). "
          "2. Pilot a two-week summer kindergarten bridge at three schools. "
          "3. Ask the county to share developmental screening data (data development "
          "agenda).",
          "La preparación iba mejorando poco a poco hasta la pandemia, cuando muchos niños "
          "no asistieron a preescolar. La nueva herramienta de evaluación de 2021-22 no se "
          "puede comparar directamente con los años anteriores. Las plazas de cuidado "
          "infantil con licencia siguen disminuyendo, sobre todo para bebés, y las familias "
          "del noroeste de Pasadena y de Altadena reportan largas listas de espera.",
          "Distrito Escolar Unificado de Pasadena; Departamento de Servicios Humanos y "
          "Recreación de la Ciudad de Pasadena; Biblioteca Pública de Pasadena; proveedores "
          "de cuidado infantil con licencia; clínicas pediátricas; Distrito de Bibliotecas "
          "de Altadena",
          "Kínder de transición universal; visitas al hogar para padres primerizos; "
          "inscripción al kínder en primavera para que los niños asistan a campamentos de "
          "transición en verano. Idea sin costo: entregar una lista de 'listo para el "
          "kínder' y una solicitud de tarjeta de la biblioteca en cada consulta pediátrica "
          "de niño sano.",
          "1. Publicar un solo calendario de inscripción para todos los proveedores de "
          "aprendizaje temprano (enero). 2. Probar un puente de verano de dos semanas hacia "
          "el kínder en tres escuelas. 3. Pedir al condado que comparta datos de "
          "evaluaciones del desarrollo (agenda de desarrollo de datos)."),
    story("read_3rd", 2, "2024-10-16",
          "Reading scores fell during distance learning and have not fully recovered. The "
          "gap between African American and Latino students and their White and Asian "
          "classmates is wide and has narrowed only a little. Many struggling readers are "
          "also chronically absent.",
          "Pasadena Unified School District; Pasadena Public Library; Pasadena Educational "
          "Foundation; Foothill Literacy Partners; parent groups",
          "Structured literacy (phonics) in K-2; high-dosage tutoring; summer learning. "
          "Low-cost idea: library cards for every 2nd grader during a class visit.",
          "Expand the Summer Learning Academy to every Title I elementary school; train "
          "all K-2 teachers in structured literacy by 2026.",
          ),
    story("read_3rd", 2, "2025-10-15",
          "Reading scores fell during distance learning and are recovering slowly. The gap "
          "between African American and Latino students and their White and Asian "
          "classmates has narrowed only a little. Many struggling readers are also "
          "chronically absent, and English learners in dual language classes read later in "
          "English but catch up by 5th grade. Altadena families displaced by the Eaton Fire "
          "moved mid-year, which disrupted reading instruction for their children.",
          "Pasadena Unified School District; Pasadena Public Library; Pasadena Educational "
          "Foundation; Foothill Literacy Partners; Altadena Library District; parent groups",
          "Structured literacy (phonics) in K-2; high-dosage tutoring three times a week; "
          "summer learning; family literacy nights. No-cost idea: teachers text families "
          "one five-minute reading activity a week.",
          "1. Expand the Summer Learning Academy to every Title I elementary school. "
          "2. Train all K-2 teachers in structured literacy by June 2026. "
          "3. Follow up every displaced student with a reading check within 30 days of "
          "re-enrolment.",
          "Los resultados de lectura bajaron durante el aprendizaje a distancia y se "
          "recuperan lentamente. La brecha entre los estudiantes afroamericanos y latinos y "
          "sus compañeros blancos y asiáticos se ha reducido poco. Muchos lectores con "
          "dificultades también tienen ausentismo crónico, y los estudiantes de inglés en "
          "clases de dos idiomas leen en inglés más tarde, pero se ponen al día en 5.º "
          "grado. Las familias de Altadena desplazadas por el incendio Eaton se mudaron a "
          "mitad de año, lo que interrumpió la enseñanza de la lectura de sus hijos.",
          "Distrito Escolar Unificado de Pasadena; Biblioteca Pública de Pasadena; "
          "Fundación Educativa de Pasadena; Foothill Literacy Partners; Distrito de "
          "Bibliotecas de Altadena; grupos de padres",
          "Enseñanza estructurada de la lectura (fonética) de kínder a 2.º grado; tutoría "
          "intensiva tres veces por semana; aprendizaje de verano; noches de lectura en "
          "familia. Idea sin costo: los maestros envían a las familias por mensaje de texto "
          "una actividad de lectura de cinco minutos cada semana.",
          "1. Ampliar la Academia de Aprendizaje de Verano a todas las escuelas primarias "
          "Título I. 2. Capacitar a todos los maestros de kínder a 2.º grado en enseñanza "
          "estructurada de la lectura antes de junio de 2026. 3. Evaluar la lectura de cada "
          "estudiante desplazado dentro de los 30 días de su reinscripción."),
    story("grad_rate", 2, "2025-10-15",
          "Graduation has risen steadily for a decade, helped by credit recovery and "
          "career academies. Students with disabilities and English learners still "
          "graduate at much lower rates, and some students who leave for other districts "
          "are never confirmed as transfers and count as non-graduates.",
          "Pasadena Unified School District; Pasadena City College; Rose City Youth Jobs "
          "Alliance; Clergy Community Coalition",
          "Early-warning systems (attendance, behaviour, course failure) from 9th grade; "
          "Linked Learning pathways; mentors. Low-cost idea: verify transfers out within a "
          "week, so the cohort counts only students who really left school.",
          "Run a 9th-grade on-track report every six weeks at each high school and assign "
          "an adult to each student off track."),
    story("a_g_complete", 2, "2025-10-15",
          "More graduates complete A-G since the district made the A-G sequence the "
          "default schedule, but a D grade in one course still disqualifies many students, "
          "and gaps by student group remain wide.",
          "Pasadena Unified School District; Pasadena City College; Pasadena Educational "
          "Foundation",
          "A-G by default; grade-replacement summer courses; dual enrollment with Pasadena "
          "City College. No-cost idea: counsellors flag every D grade in an A-G course "
          "within two weeks of report cards.",
          "Offer free summer grade-recovery courses for every A-G course with a D or F."),
    story("chronic_absence", 5, "2024-10-10",
          "Chronic absence more than doubled after the return to in-person school. "
          "Families report illness, anxiety, transportation and housing moves as reasons. "
          "Rates are highest for African American students and students with disabilities.",
          "Pasadena Unified School District; Clergy Community Coalition; Families Forward "
          "Pasadena; Arroyo Youth Mentors; Los Angeles County Department of Public Health",
          "Positive messaging about attendance; personal outreach; mentors; school-based "
          "health services. No-cost idea: a friendly postcard home showing each family how "
          "many days their child missed compared with classmates.",
          "Coordinate the Every Day Counts outreach and the Attendance Mentors program so "
          "the same students are not contacted twice while others are missed."),
    story("chronic_absence", 5, "2025-10-15",
          "Chronic absence more than doubled after the return to in-person school and has "
          "been falling since 2022-23, but it is still well above the pre-pandemic level. "
          "Families report illness, anxiety, transportation and housing moves as reasons. "
          "The Eaton Fire of January 2025 pushed Altadena's rate up sharply as families "
          "were displaced. Rates are highest for African American students and students "
          "with disabilities.",
          "Pasadena Unified School District; Clergy Community Coalition; Families Forward "
          "Pasadena; Arroyo Youth Mentors; Los Angeles County Department of Public Health; "
          "Altadena Library District",
          "Positive messaging about attendance; personal outreach within the first ten "
          "days of absence; mentors; school-based health services; free transit passes for "
          "displaced students. No-cost idea: a friendly postcard home showing each family "
          "how many days their child missed compared with classmates.",
          "1. Merge the referral lists of Every Day Counts and Attendance Mentors into one "
          "caseload (two programs served the same students). 2. Attendance postcards to "
          "all families in October and February. 3. A displaced-student liaison at every "
          "school enrolling Altadena families.",
          "El ausentismo crónico se duplicó con creces tras el regreso a clases "
          "presenciales y ha bajado desde 2022-23, pero sigue muy por encima del nivel "
          "anterior a la pandemia. Las familias mencionan enfermedades, ansiedad, "
          "transporte y mudanzas como causas. El incendio Eaton de enero de 2025 elevó "
          "mucho la tasa de Altadena porque muchas familias fueron desplazadas. Las tasas "
          "más altas son las de los estudiantes afroamericanos y los estudiantes con "
          "discapacidades.",
          "Distrito Escolar Unificado de Pasadena; Clergy Community Coalition; Families "
          "Forward Pasadena; Arroyo Youth Mentors; Departamento de Salud Pública del "
          "Condado de Los Ángeles; Distrito de Bibliotecas de Altadena",
          "Mensajes positivos sobre la asistencia; contacto personal en los primeros diez "
          "días de ausencia; mentores; servicios de salud en la escuela; pases de transporte "
          "gratuitos para estudiantes desplazados. Idea sin costo: una postal amistosa que "
          "muestre a cada familia cuántos días faltó su hijo en comparación con sus "
          "compañeros.",
          "1. Unir las listas de Cada Día Cuenta y de Mentores de Asistencia en una sola "
          "lista de casos (los dos programas atendían a los mismos estudiantes). 2. Enviar "
          "postales de asistencia a todas las familias en octubre y febrero. 3. Un enlace "
          "para estudiantes desplazados en cada escuela que inscriba a familias de "
          "Altadena."),
    story("suspension_rate", 5, "2025-10-15",
          "Suspensions have fallen since restorative practices began, and almost vanished "
          "in distance learning. African American students are still suspended at more "
          "than twice the overall rate.",
          "Pasadena Unified School District; Flintridge Center; Clergy Community Coalition",
          "Restorative circles; in-school alternatives to suspension; training in "
          "de-escalation. Low-cost idea: a weekly review of every suspension by the "
          "principal and a counsellor.",
          "Extend restorative practices training to all middle school staff in 2025-26."),
    story("child_obesity", 4, "2025-10-15",
          "The share of students at an unhealthy weight rose during the pandemic, when "
          "sports and physical education stopped, and has come down only slightly. "
          "Altadena and Northwest Pasadena have fewer safe places to play and more fast "
          "food outlets.",
          "Los Angeles County Department of Public Health; Pasadena Unified School "
          "District; City of Pasadena Parks, Recreation and Community Services; Foothill "
          "Family Health Clinic",
          "Daily physical activity; water instead of sugary drinks; joint-use schoolyards "
          "open after hours. No-cost idea: open school playgrounds on weekends through a "
          "joint-use agreement.",
          "Sign joint-use agreements for four schoolyards and add water refill stations "
          "in every school."),
    story("asthma_er_visits", 4, "2025-10-15",
          "Emergency visits for asthma follow the seasons (highest in winter) and dropped "
          "during stay-at-home orders. Children near the freeways and in older rental "
          "housing with mould and pests visit the ER most.",
          "Los Angeles County Department of Public Health; Madison Healthy Start; Foothill "
          "Family Health Clinic; City of Pasadena Code Enforcement",
          "Asthma action plans for every child with asthma; home visits to remove "
          "triggers; school nurses who hold inhalers. Low-cost idea: remind families "
          "before the fire and cold season to refill controller medication.",
          "Give every student with asthma at Healthy Start schools an action plan by "
          "December; refer rental units with mould to code enforcement."),
    story("youth_employment", 3, "2025-10-15",
          "Teen employment fell sharply in 2020 and has recovered above its earlier level, "
          "helped by the city's youth employment program and a tight labour market. Teens "
          "without a car or a network of working adults find it hardest to get a first "
          "job.",
          "City of Pasadena; Pasadena Chamber of Commerce; Rose City Youth Jobs Alliance; "
          "Pasadena City College",
          "Paid summer work experience with a mentor; job readiness training; employer "
          "pledges. No-cost idea: every partner organisation hosts at least one summer "
          "intern.",
          "Sign up 40 new employers through the Chamber of Commerce before spring."),
    story("family_engagement", 6, "2025-10-15",
          "More parents say their school seeks their input since schools began holding "
          "meetings in Spanish and at evening times. Survey responses from Sierra Madre "
          "are few, so that city's figure is often suppressed.",
          "Pasadena Unified School District; Families Forward Pasadena; Clergy Community "
          "Coalition; PTA councils",
          "Meetings at times and places that suit working parents; interpretation at every "
          "meeting; parent liaisons. No-cost idea: end every school meeting by asking "
          "parents one question and reporting back what changed.",
          "Raise survey participation with a text-message link and a paper form at "
          "conferences.",
          "Más padres dicen que su escuela pide su opinión desde que las escuelas empezaron "
          "a hacer reuniones en español y en horario nocturno. Hay pocas respuestas de "
          "Sierra Madre, por lo que la cifra de esa ciudad a menudo se suprime.",
          "Distrito Escolar Unificado de Pasadena; Families Forward Pasadena; Clergy "
          "Community Coalition; consejos de la PTA",
          "Reuniones en horarios y lugares convenientes para los padres que trabajan; "
          "interpretación en todas las reuniones; enlaces con los padres. Idea sin costo: "
          "terminar cada reunión escolar con una pregunta a los padres e informar después "
          "qué cambió.",
          "Aumentar la participación en la encuesta con un enlace por mensaje de texto y "
          "un formulario en papel durante las conferencias."),
    story("student_homeless", 5, "2025-10-15",
          "The count of students experiencing homelessness was rising slowly, mostly "
          "families doubled up with relatives because of high rents. Fewer students were "
          "identified during distance learning. The Eaton Fire in January 2025 displaced "
          "hundreds of Altadena students at once.",
          "Pasadena Unified School District; City of Pasadena Housing Department; Los "
          "Angeles County Department of Children and Family Services; Clergy Community "
          "Coalition; Families Forward Pasadena",
          "Rapid rehousing; school stability (transport to the school of origin); one "
          "liaison per school. No-cost idea: add the housing question to every enrolment "
          "and re-enrolment form.",
          "Track each displaced family monthly until permanently housed; ask faith "
          "partners for short-term rooms."),
    story("juvenile_arrests", 5, "2025-10-15",
          "Juvenile arrests have fallen by more than half in ten years, following state "
          "reforms and the growth of diversion. Arrests are concentrated among a small "
          "number of young people in Northwest Pasadena and Altadena.",
          "Flintridge Center; Pasadena Police Department; Los Angeles County Sheriff's "
          "Department; Clergy Community Coalition; Pasadena Unified School District",
          "Pre-arrest diversion; restorative justice; mentors and jobs for youth at risk. "
          "Low-cost idea: officers refer first offenses to diversion by default.",
          "Make diversion the default for first non-violent offenses in 2026."),
    story("park_access", 7, "2025-10-15",
          "Most residents of Pasadena and Sierra Madre live near a park; Altadena has far "
          "fewer public parks, and some open space was lost in the Eaton Fire.",
          "City of Pasadena Parks, Recreation and Community Services; Los Angeles County "
          "Department of Parks and Recreation; Pasadena Unified School District",
          "Joint-use schoolyards; pocket parks on vacant lots; safe routes to parks. "
          "No-cost idea: open school fields to the public on weekends.",
          "Identify three joint-use schoolyards in Altadena and one vacant city lot for a "
          "pocket park."),
]

# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_sheet(name: str, rows: list[dict]) -> None:
    columns = COLUMNS[name]
    path = OUT / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            missing = set(columns) - set(row)
            extra = set(row) - set(columns)
            if missing or extra:
                raise ValueError(f"{name}: row columns differ: {missing=} {extra=}")
            writer.writerow(["" if row[c] is None else row[c] for c in columns])


README = """# Sample data (illustrative, not official)

These CSV files are the bundled sample workbook of `rba`, one file per sheet of the
workbook format defined in `rba/workbook/spec.py` (`<sheet>.csv`, UTF-8, header row,
comma-separated; observation and target files have one extra column per dimension,
`student_group` and `city`, where a blank cell means the total over that dimension).

**All figures are illustrative.** They were generated by `data/generate_sample.py` with a
seeded random number generator to look plausible for Pasadena, Altadena and Sierra Madre.
They are not official statistics of the Pasadena Unified School District, the City of
Pasadena, the California Department of Education, Los Angeles County or any other source,
and must not be quoted as such. The `source` column of every indicator says which public
source the figures are modelled on. Names of facilitators and team members are invented;
program funding and performance figures are invented too.

Regenerate with:

    .venv/bin/python data/generate_sample.py

What the sample contains:

- the seven shared results of Collaborate PASadena and their result teams;
- headline, secondary and data-development-agenda indicators, with observations for
  school years 2016-17 to 2025-26, calendar years 2016 to 2025 and quarters 2018-Q1 to
  2026-Q3 (the latest period of each series is provisional);
- disaggregation by `student_group` and by `city` (city totals equal the sum of
  Pasadena, Altadena and Sierra Madre; student groups overlap, so their totals are given
  separately); a few Sierra Madre groups are smaller than 11 so the suppression rules
  have something to do;
- blank values where a figure was not available (e.g. no state tests in 2019-20);
- targets, partners, programs with performance measures (how much, how well, is anyone
  better off), measure figures and targets, and turn-the-curve stories (some in Spanish,
  some with two versions).
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_sheet("teams", [
        dict(slug=s, name=n, name_es=es, facilitator=f, members="; ".join(m))
        for s, n, es, f, m in TEAMS
    ])
    write_sheet("results", [
        dict(code=c, name=n, name_es=ne, description=d, description_es=de, team=t, order=i)
        for i, (c, n, ne, d, de, t) in enumerate(RESULTS, start=1)
    ])
    write_sheet("dimensions", [
        dict(dimension=d, value=v, label=lab, label_es=les, order=o)
        for d, v, lab, les, o in DIMENSIONS
    ])
    order: dict[str, int] = {}
    indicator_rows, observation_rows, target_rows = [], [], []
    for spec in INDICATORS:
        order[spec["result"]] = order.get(spec["result"], 0) + 1
        row = {k: v for k, v in spec.items() if k != "model"}
        row["order"] = order[spec["result"]]
        indicator_rows.append(row)
        obs = observations_for(spec)
        observation_rows += obs
        target_rows += targets_for(spec, obs)
    write_sheet("indicators", indicator_rows)
    write_sheet("partners", [dict(name=n, type=t, website=w) for n, t, w in PARTNERS])
    write_sheet("programs", [
        {**p, "partners": "; ".join(p["partners"]), "results": ",".join(p["results"]),
         "indicators": ",".join(p["indicators"])}
        for p in PROGRAMS
    ])
    morder: dict[str, int] = {}
    measure_sheet, measure_obs = [], []
    for m in MEASURES:
        code, prog, name, name_es, kind, unit, pol, freq, _model = m
        morder[prog] = morder.get(prog, 0) + 1
        measure_sheet.append(dict(code=code, program=prog, name=name, name_es=name_es,
                                  kind=kind, unit=unit, per="", polarity=pol, frequency=freq,
                                  order=morder[prog]))
        measure_obs += measure_rows(m)
    write_sheet("measures", measure_sheet)
    write_sheet("observations", observation_rows)
    write_sheet("targets", target_rows)
    write_sheet("measure_observations", measure_obs)
    write_sheet("measure_targets", [
        dict(measure=m, period=p, value=v, rationale=r) for m, p, v, r in MEASURE_TARGETS
    ])
    write_sheet("stories", STORIES)
    (OUT / "README.md").write_text(README, encoding="utf-8")
    sizes = {p.name: sum(1 for _ in p.open(encoding="utf-8")) - 1
             for p in sorted(OUT.glob("*.csv"))}
    for name, n in sizes.items():
        print(f"{name:28s} {n:5d} rows")


if __name__ == "__main__":
    main()
