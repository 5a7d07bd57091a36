"""Builds dedup_eval.jsonl: the evaluation set of the story clustering and the topic tags.

Each line is an item for `monitor ingest` plus two gold fields the importer ignores: `story`
(which event it tells) and `topics`. Verbatim copies are made from the originals the way the
aggregators in ../shared/reference/sites.md make them (headers, footers, captions, cuts);
rewrites and Russian versions are written by hand. Unrelated releases from the same office on
the same day, and look-alikes on the same subject, must stay in stories of their own.

    python tests/eval/build_eval_set.py   # rewrites dedup_eval.jsonl next to this file
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
SEEDS = json.loads((HERE / "seeds.json").read_text(encoding="utf-8"))
J, G = "judicial", "gender_equality"
items: list[dict] = []


def add(story: str, topics: list[str], url: str, source: str, title: str, text: str, published: str, lang: str = "en"):
    items.append(
        {
            "url": url,
            "source": source,
            "title": title,
            "published": published,
            "text": text,
            "lang": lang,
            "story": story,
            "topics": topics,
        }
    )


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def pubt(title: str, text: str, day: str) -> str:  # MM/DD/YYYY, as pubt.io writes it
    return (
        f"OSCE - Organization for Security and Co-operation in Europe\n\n{day} | Press release | "
        f"Distributed by Public on {day} 03:16\n\n{title}\n\n{text}"
    )


def teaser(text: str, words: int = 45) -> str:
    return " ".join(text.split()[:words]) + " ..."


# --- S1: seed 000 and what aggregators made of it -------------------------------------------------
T1 = "Kazakhstan’s Women Judges Contribute to the 10th Annual Conference of the Kyrgyz Association of Women Judges"
S1 = SEEDS["s000"]
add("S1", [J, G], "https://www.osce.org/programme-office-in-astana/582310", "osce_newsroom", T1, S1, "19 December 2024")
add(
    "S1",
    [J, G],
    "https://www.pubt.io/view/3f1e0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
    "pubt.io",
    T1,
    pubt(T1, "Participants of the conference, Aral village. (OSCE) Photo details\n\n" + S1, "12/19/2024"),
    "12/19/2024",
)
add(
    "S1",
    [J, G],
    "https://www.einpresswire.com/article/770366305/kazakhstan-s-women-judges-contribute",
    "einpresswire",
    T1,
    S1 + '\n\nLegal Disclaimer: EIN Presswire provides this news content "as is" without warranty of any kind. '
    "We do not accept any responsibility or liability for the accuracy, content, images, videos, licenses, "
    "completeness, legality, or reliability of the information contained in this article.",
    "2024-12-19",
)
add(
    "S1",
    [J, G],
    "https://europavarietas.org/news/aggregator/categories/2?item=582310",
    "europavarietas",
    T1,
    "582310 Public Affairs Unit, OSCE Programme Office in Astana\n\n"
    + teaser(S1, 60)
    + "\n\nOSCE - Thu, 12/19/2024 - 10:12\n\nCategories: Central Europe",
    "Thu, 12/19/2024 - 10:12",
)
add(
    "S1",
    [J, G],
    "https://nigeriapulse.com/2024/12/20/women-judges-from-kazakhstan-shine-at-kyrgyz-conference/",
    "nigeriapulse",
    "Women Judges From Kazakhstan Shine at Regional Judicial Conference in Kyrgyzstan",
    "Kazakhstan’s delegation of women judges made a notable contribution to the tenth annual conference of the "
    "Kyrgyz Association of Women Judges, held on December 6-7, 2024, in Aral village in Chui Province.\n\n"
    "Under the theme of strengthening legal justice, the gathering brought together judges and legal experts "
    "from across Central Asia to discuss free legal aid, mentorship for women in the judiciary and the "
    "prevention of gender-based violence.\n\nTwo judges of the Supreme Court of Kazakhstan and a judge of the "
    "Constitutional Court of Kazakhstan took part, with support from the OSCE Programme Office in Astana and "
    "its project on improving the effectiveness of the justice system. A Supreme Court judge presented "
    "Kazakhstan’s mentorship programmes for women judges and their role in building leadership skills.",
    "December 20, 2024",
)
add(
    "S1",
    [J, G],
    "https://www.osce.org/ru/programme-office-in-astana/582310",
    "osce_newsroom",
    "Женщины-судьи Казахстана приняли участие в 10-й ежегодной конференции Ассоциации женщин-судей Кыргызстана",
    "6-7 декабря 2024 года в селе Арал Чуйской области Кыргызстана прошла 10-я ежегодная конференция Ассоциации "
    "женщин-судей Кыргызстана. Конференция была посвящена бесплатной юридической помощи, поддержке женщин в "
    "судебной системе и предотвращению гендерного насилия.\n\nВ состав делегации Казахстана вошли две судьи "
    "Верховного суда Казахстана и судья Конституционного суда Казахстана. Их участие поддержал Программный офис "
    "ОБСЕ в Астане в рамках внебюджетного проекта «Повышение эффективности системы правосудия в Казахстане».\n\n"
    "Во второй день конференции судья Верховного суда Казахстана рассказала о программах наставничества для "
    "женщин-судей.",
    "19 декабря 2024",
    "ru",
)

# --- S2: seed 002, a partner's PDF release ----------------------------------------------------------
T2 = "Ninth Expert Forum on Criminal Justice for Central Asia Concludes in Astana"
S2 = SEEDS["s002"]
add(
    "S2",
    [J, G],
    "https://lprc.kz/wp-content/uploads/2024/11/press-release-forum-en.pdf",
    "lprc",
    T2,
    S2,
    "November 21, 2024",
)
add(
    "S2",
    [J, G],
    "https://www.eeas.europa.eu/delegations/kazakhstan/ninth-expert-forum-criminal-justice_en",
    "eeas_kazakhstan",
    "EU supports the Ninth Expert Forum on Criminal Justice for Central Asia",
    "With financial support from the European Union, more than 220 judges, prosecutors, lawyers and civil society "
    "experts from Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan and Mongolia met in Astana on "
    "20-21 November 2024 for the Ninth Expert Forum on Criminal Justice for Central Asia.\n\nThe forum reviewed "
    "criminal justice reforms in the region since 2021: the independence of the judiciary, access to justice, "
    "penitentiary reform and probation, and the digitalisation of justice. One session was devoted to women in "
    "the justice system and to combating gender-based violence.\n\nThe forum was co-organised by ODIHR, the Legal "
    "Policy Research Centre (LPRC), UNODC, UNDP and the OSCE Programme Office in Astana.",
    "21.11.2024",
)
add(
    "S2",
    [J, G],
    "https://lprc.kz/ru/news/devyatyj-ekspertnyj-forum/",
    "lprc",
    "В Астане завершился Девятый экспертный форум по уголовному правосудию для Центральной Азии",
    "20-21 ноября 2024 года в Астане при поддержке Европейского союза прошёл Девятый экспертный форум по уголовному "
    "правосудию для Центральной Азии. Форум собрал более 220 участников из Казахстана, Кыргызстана, Узбекистана, "
    "Таджикистана, Туркменистана и Монголии: судей, прокуроров, адвокатов и представителей гражданского общества.\n\n"
    "Участники обсудили реформы уголовного правосудия 2021-2024 годов, независимость судебной власти, доступ к "
    "правосудию, пенитенциарную реформу и пробацию. Отдельная сессия была посвящена роли женщин в системе "
    "правосудия и противодействию гендерному насилию.\n\nОрганизаторами форума выступили БДИПЧ ОБСЕ, LPRC, УНП ООН, "
    "ПРООН и Программный офис ОБСЕ в Астане. Общий бюджет проекта составляет 777 895 евро.",
    "21 ноября 2024 г.",
    "ru",
)

# --- S3: the round table of 28 February 2025; seed 003 is a content farm's rewrite -------------------
T3 = "International Round Table Discusses Achievements in Improving the Effectiveness of Kazakhstan’s Justice System"
S3 = (
    "ASTANA, 28 February 2025 – An international round table on improving the effectiveness of the justice system "
    "in Kazakhstan, organized by the OSCE Programme Office in Astana together with the Supreme Court and the Court "
    "Administration of Kazakhstan, took place in Astana today. More than 100 participants from the judiciary, "
    "government, international organizations and academia took part.\n\nThe event presented the results of the "
    "extrabudgetary project funded by Poland, Norway and the United States: the modernization of court "
    "administration, a system for evaluating judges’ professional performance, and judicial education. Speakers "
    "included Yerzhan Zhienbayev, Aslambek Mergaliyev, Elvira Azimova, Dmitry Malakhov, Nail Akhmetzakirov and "
    "Pamela Harris.\n\nYuri Fenopetov, Deputy Head of the OSCE Programme Office in Astana, underlined the value of "
    "sociological surveys of judges for evidence-based judicial reform. “In court administration, there is no silver "
    "bullet,” said Pamela Harris."
)
add("S3", [J], "https://www.osce.org/programme-office-in-astana/587210", "osce_newsroom", T3, S3, "3 March 2025")
seed3 = paragraphs(SEEDS["s003"])
add("S3", [J], "http://3.72.39.107/?p=18823", "content-farm", seed3[0], "\n\n".join(seed3[1:]), "March 4, 2025")
add(
    "S3",
    [J],
    "https://www.miragenews.com/osce-kazakhstan-justice-round-table-1412230",
    "miragenews",
    "OSCE, Kazakhstan Courts Review Justice Reform Gains",
    S3.split("– ", 1)[1],
    "2025-03-03",
)

# --- S4: seed 004, women in law enforcement -------------------------------------------------------------
T4 = "Regional Conference Promotes Women’s Participation in Law Enforcement in Central Asia"
S4 = "\n\n".join(paragraphs(SEEDS["s004"]))
add("S4", [G], "https://www.osce.org/odihr/552034", "osce_newsroom", T4, S4, "19 September 2023")
add(
    "S4",
    [G],
    "https://newscentralasia.net/2023/09/20/regional-conference-promotes-womens-participation-in-law-enforcement/",
    "newscentralasia",
    T4,
    S4.replace("Source : OSCE", "///OSCE, 19 September 2023"),
    "2023-09-20",
)
add(
    "S4",
    [G],
    "https://aarhusclearinghouse.unece.org/node/98412",
    "aarhus",
    T4,
    "(Original source: OSCE Programme Office in Astana. Date published: 19-09-2023)\n\n" + teaser(S4, 70),
    "19-09-2023",
)
add(
    "S4",
    [G],
    "https://www.osce.org/ru/odihr/552034",
    "osce_newsroom",
    "Региональная конференция содействует участию женщин в правоохранительной деятельности в Центральной Азии",
    "14-15 сентября 2023 года в Астане прошла региональная конференция о содействии участию женщин в "
    "правоохранительной деятельности в Центральной Азии. В ней приняли участие представители министерств внутренних "
    "дел, полицейских академий, прокуратур и ассоциаций женщин-полицейских.\n\nЗаместитель председателя "
    "Национальной комиссии по делам женщин и семейно-демографической политике Ляззат Рамазанова открыла "
    "конференцию. Посол Фолькер Фробарт, глава Программного офиса ОБСЕ в Астане, отметил значение сетей женщин-"
    "полицейских для гендерного равенства в полиции.",
    "19 сентября 2023 г.",
    "ru",
)

# --- S5: police training on domestic violence (December 2025) ------------------------------------------
T5 = "OSCE supports training for Kazakhstan police on gender-sensitive investigation of domestic violence"
S5 = (
    "On 20 December 2025, the OSCE Programme Office in Astana, together with the Ministry of Internal Affairs of "
    "Kazakhstan, concluded a training course for 40 police officers on the gender-sensitive investigation of "
    "domestic violence and the protection of victims.\n\nThe course covered the new provisions of the Law on the "
    "Prevention of Domestic Violence, risk assessment, protective orders and co-operation between police, "
    "prosecutors, courts and crisis centres.\n\n“Every call about domestic violence must be treated as a possible "
    "crime, and victims must be protected from the very first contact with the police,” said a trainer from the "
    "Academy of the Ministry of Internal Affairs."
)
add("S5", [G], "https://astana.osce.org/news/programme-office-astana/661564", "osce_astana", T5, S5, "2025-12-23")
add(
    "S5",
    [G],
    "https://www.pubt.io/view/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b",
    "pubt.io",
    T5,
    pubt(T5, S5, "12/23/2025"),
    "12/23/2025",
)
add(
    "S5",
    [G],
    "https://informationstreamer.com/2025/12/24/kazakh-police-learn-to-handle-domestic-abuse-cases/",
    "informationstreamer",
    "Kazakh Police Officers Trained to Handle Domestic Abuse Cases With Care for Victims",
    "Forty police officers in Kazakhstan have completed specialised training on investigating domestic violence in a "
    "gender-sensitive way, the OSCE Programme Office in Astana announced. The course ended on December 20, 2025 and "
    "was run jointly with the Ministry of Internal Affairs.\n\nOfficers studied the amended Law on the Prevention of "
    "Domestic Violence, how to assess risks to victims, how to issue protective orders and how to work with "
    "prosecutors, courts and crisis centres.\n\nA trainer from the Academy of the Ministry of Internal Affairs "
    "stressed that every domestic violence call should be handled as a potential crime.",
    "December 24, 2025",
)

# --- S6: evaluation of judges (January 2026) -------------------------------------------------------------
T6 = "Round table discusses the evaluation of judges’ professional performance in Kazakhstan"
S6 = (
    "ASTANA, 27 January 2026 – Judges, members of the Supreme Judicial Council and international experts discussed "
    "proposals to improve the evaluation of judges’ professional performance at a round table organized by the OSCE "
    "Programme Office in Astana and the Supreme Court of Kazakhstan.\n\nParticipants reviewed the results of a survey "
    "of 1,200 judges and agreed that evaluation criteria should focus on the quality of reasoning rather than on the "
    "number of decisions overturned on appeal.\n\nThe event is part of the Office’s extrabudgetary project on "
    "improving the effectiveness of the justice system in Kazakhstan, funded by Poland, Norway and the United States."
)
add("S6", [J], "https://astana.osce.org/news/programme-office-astana/662120", "osce_astana", T6, S6, "2026-01-28")
add(
    "S6",
    [J],
    "https://europavarietas.org/evnc/en/aggregator/sources/3?item=662120",
    "europavarietas",
    T6,
    teaser(S6, 50) + "\n\nOSCE - Wed, 28/01/2026 - 11:49",
    "Wed, 28/01/2026 - 11:49",
)
add(
    "S6",
    [J],
    "https://astana.osce.org/ru/node/662120",
    "osce_astana",
    "Круглый стол обсудил оценку профессиональной деятельности судей в Казахстане",
    "АСТАНА, 27 января 2026 года – Судьи, члены Высшего судебного совета и международные эксперты обсудили "
    "предложения по совершенствованию оценки профессиональной деятельности судей на круглом столе, организованном "
    "Программным офисом ОБСЕ в Астане и Верховным судом Казахстана.\n\nУчастники рассмотрели результаты опроса 1 200 "
    "судей.",
    "28 января 2026 г.",
    "ru",
)

# --- Releases that must stay apart ---------------------------------------------------------------------------
add(
    "U1",
    [J],
    "https://astana.osce.org/news/programme-office-astana/661570",
    "osce_astana",
    "OSCE trains journalists in Astana on reporting from court proceedings",
    "On 20 December 2025, the OSCE Programme Office in Astana held a workshop for 25 journalists from regional media "
    "on reporting from court hearings, respecting the presumption of innocence and the privacy of parties.\n\nJudges "
    "of the Astana city court explained the rules on access to open hearings and on filming in courtrooms.",
    "2025-12-23",
)
add(
    "U2",
    [],
    "https://www.osce.org/programme-office-in-astana/582318",
    "osce_newsroom",
    "OSCE supports youth forum on environmental security in Almaty",
    "On 17-18 December 2024, 60 young activists from Kazakhstan met in Almaty for a forum on environmental security, "
    "water management and climate adaptation, supported by the OSCE Programme Office in Astana.\n\nParticipants "
    "drafted recommendations on reducing air pollution in cities.",
    "19 December 2024",
)
add(
    "U3",
    [J],
    "https://www.osce.org/odihr/587190",
    "osce_newsroom",
    "ODIHR presents trial monitoring results in Kyrgyzstan",
    "BISHKEK, 28 February 2025 – ODIHR presented the results of monitoring 80 criminal trials in Kyrgyzstan, focusing "
    "on the right to a defence and the use of pre-trial detention.\n\nThe report recommends that courts give reasons "
    "for every decision to detain a defendant.",
    "28 February 2025",
)
add(
    "U4",
    [G],
    "https://dushanbe.osce.org/news/programme-office-dushanbe/664810",
    "osce_dushanbe",
    "Tajik police officers trained on responding to domestic violence",
    "On 14 May 2025, the OSCE Programme Office in Dushanbe concluded a course for 30 police inspectors from Khatlon "
    "region on responding to domestic violence and referring victims to shelters.\n\nThe course covered the Law on "
    "the Prevention of Violence in the Family and co-operation with local crisis centres.",
    "2025-05-16",
)
add(
    "U5",
    [J, G],
    "https://bishkek.osce.org/news/programme-office-bishkek/549880",
    "osce_bishkek",
    "Kyrgyz Association of Women Judges holds its 9th annual conference",
    "On 1-2 December 2023, the Kyrgyz Association of Women Judges held its ninth annual conference in Cholpon-Ata, "
    "with support from the OSCE Programme Office in Bishkek. Judges discussed judicial ethics and the protection of "
    "judges from undue pressure.\n\nThe association has 180 members from courts across Kyrgyzstan.",
    "5 December 2023",
)
add(
    "U6",
    [],
    "https://astana.osce.org/kk/node/664020",
    "osce_astana",
    "ЕҚЫҰ Алматыда энергия тиімділігі жөнінде семинар өткізді",
    "2026 жылғы 6 наурызда Алматыда ЕҚЫҰ-ның Астанадағы бағдарламалар офисі мектеп ғимараттарының энергия "
    "тиімділігі жөнінде инженерлерге арналған семинар өткізді.\n\nҚатысушылар энергетикалық аудит әдістерін талқылады.",
    "2026 жылғы 10 наурыз",
    "kk",
)
add(
    "U7",
    [J],
    "https://www.osce.org/programme-office-in-astana/582319",
    "osce_newsroom",
    "OSCE supports training for Kazakhstan’s bailiffs on enforcing court decisions",
    "On 18-19 December 2024, 35 private and state bailiffs from Kazakhstan completed a training course in Astana on "
    "enforcing court decisions in family disputes, organized by the OSCE Programme Office in Astana.\n\nTrainers "
    "from the Ministry of Justice explained recent amendments to the law on enforcement proceedings.",
    "19 December 2024",
)

# The gold relation of each item to its story's original (the first item of the story).
COPIES = ("pubt.io", "einpresswire", "newscentralasia", "miragenews")
TEASERS = ("europavarietas", "aarhus")
first = {}
for item in items:
    if item["story"].startswith("U"):
        item["kind"] = "unrelated"
    elif item["story"] not in first:
        first[item["story"]] = item
        item["kind"] = "original"
    elif item["source"] in COPIES:
        item["kind"] = "copy"
    elif item["source"] in TEASERS:
        item["kind"] = "teaser"
    elif item["lang"] != first[item["story"]]["lang"]:
        item["kind"] = "translation"
    else:
        item["kind"] = "rewrite"

out = HERE / "dedup_eval.jsonl"
out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
print(f"{len(items)} items in {len({i['story'] for i in items})} stories -> {out}")
