# ruff: noqa: E501  (prose from the seed papers, wrapped by hand)
"""Demo content for the board, faithful to the seed papers: the April 2017 and March 2018
Programme Board meeting updates (seeds 000 and 003), the November 2017 HOSC paper on the
workstreams (seed 004) and the 2018/19 plans approved on 5 March 2018.

Each workstream's monthly delivery confidence is given as phases: from a month onwards,
a rating with its narrative, achievements, next steps and key risks.

Longer than the ~400-line guide for modules because it is content, not code: the text of
the seed papers, loaded by `stpkit.demo.board`.
"""

from __future__ import annotations

from datetime import date

Phase = tuple[date, str, str, str, str, str]  # from, rating, narrative, achievements, next, risks

PHASES: dict[str, list[Phase]] = {
    "prevention": [
        (
            date(2017, 4, 1),
            "amber",
            "Aims and objectives agreed with the core programme team; "
            "priorities and resourcing to be settled with the other workstreams.",
            "Workplan drafted.",
            "Agree priorities with local care.",
            "Limited dedicated resource; public health budgets under pressure.",
        ),
        (
            date(2017, 9, 1),
            "amber_green",
            "Prevention priorities (smoking, physical activity, "
            "alcohol, obesity) built into local care plans; self-care offer in development.",
            "Prevention priorities agreed with local care and mental health.",
            "Mobilise the self-care offer with local authority partners.",
            "Capacity in primary care to deliver brief interventions.",
        ),
    ],
    "local-care": [
        (
            date(2017, 4, 1),
            "amber",
            "Local care vision and care model under development in each "
            "locality; enabling workstreams need a clearer brief on what local care needs and when.",
            "Localities developing plans with CCGs, providers and local authorities.",
            "Set out support needed from digital, workforce and estates.",
            "Join-up with hospital care before any consultation.",
        ),
        (
            date(2017, 10, 1),
            "amber_green",
            "Stage one (local vision and care model) progressing "
            "in each locality: multi-disciplinary team working in year one, fully in place by 2021.",
            "Costs and phasing agreed by partners; aligned with provider and QIPP plans.",
            "Progress implementation of multi-disciplinary teams.",
            "Workforce for extended primary care; pace varies by locality.",
        ),
    ],
    "hospital-care": [
        (
            date(2017, 4, 1),
            "amber_red",
            "Initial phase: acute services and elective orthopaedics "
            "in east Kent, stroke and vascular services across Kent and Medway. Conventional capital "
            "is not readily available (new build benchmarked at 750m to 1bn GBP).",
            "Evaluation criteria tested with clinicians, stakeholders and listening events.",
            "Develop realistic options for service configuration.",
            "Capital availability; workforce sustainability; join-up with local care.",
        ),
        (
            date(2017, 7, 1),
            "amber",
            "Stroke: hurdle criteria applied to the long list; shortlist "
            "being evaluated. East Kent: options being developed against the evaluation criteria.",
            "Stroke shortlist evaluated with the CCG Joint Committee.",
            "Submit stroke materials to the Clinical Senate; develop the pre-consultation business case.",
            "Clinical Senate and NHS England assurance timelines.",
        ),
        (
            date(2017, 11, 1),
            "amber_red",
            "Stroke timeline to consultation revised: two scenarios "
            "depending on whether one or two NHS England Investment Committee meetings are needed; "
            "consultation launch February or March 2018.",
            "Stroke materials submitted to the Clinical Senate (26 October); panel review 16 November.",
            "Finalise the PCBC on Clinical Senate feedback; JHOSC 12 December.",
            "Slippage of the consultation launch; east Kent new-build due diligence.",
        ),
        (
            date(2018, 2, 1),
            "amber",
            "Stroke PCBC through NHS England assurance; Joint Committee "
            "to agree the launch of consultation. East Kent options work continues.",
            "Investment Committee review of the stroke PCBC.",
            "Launch the stroke public consultation.",
            "Public and political response to the stroke options.",
        ),
    ],
    "mental-health": [
        (
            date(2017, 4, 1),
            "amber",
            "Mental health workstream mobilised; parity of esteem and "
            "the Five Year Forward View for Mental Health commitments mapped.",
            "Stakeholder mapping complete.",
            "Agree the transformation priorities.",
            "Recruitment of specialist mental health staff.",
        ),
        (
            date(2017, 10, 1),
            "amber_green",
            "Transformation priorities agreed; products delivered "
            "on plan. Preparing the March 2018 board deep dive and the 'Better Together' conference.",
            "Milestones achieved to plan; key risks being managed.",
            "Deep dive at the March 2018 Programme Board; conference in Maidstone on 13 March 2018.",
            "Workforce supply for crisis and community services.",
        ),
    ],
    "digital": [
        (
            date(2017, 4, 1),
            "amber",
            "The Kent Integrated Dataset to be managed as a system-wide "
            "tool, with governance across NHS and local authority organisations.",
            "KID referenced by workstreams as their plans progress.",
            "Set up system-wide governance for the KID.",
            "Information governance agreements across organisations.",
        ),
        (
            date(2017, 12, 1),
            "amber",
            "Shared records and KID governance progressing; the digital "
            "brief from the transformation workstreams is now clearer.",
            "Data sharing agreements drafted.",
            "Agree the digital roadmap with local care.",
            "Funding for shared care records.",
        ),
    ],
    "workforce": [
        (
            date(2017, 4, 1),
            "amber_red",
            "Heavy reliance on costly agency staff, falling overseas "
            "recruitment; the Local Workforce Action Board is steering the strategy.",
            "Programme management office roles advertised (about 130 applications).",
            "Agree the workforce brief with the transformation workstreams.",
            "Agency spend; EU staff recruitment; medical school bid.",
        ),
        (
            date(2017, 10, 1),
            "amber",
            "Medical school bid and recruitment and retention plans "
            "progressing; draft response to the national workforce strategy in preparation.",
            "Collaborative bank and harmonised agency rates agreed in principle.",
            "Respond to the national workforce strategy consultation by 23 March 2018.",
            "Supply of GPs, nurses and care staff.",
        ),
    ],
    "estates": [
        (
            date(2017, 4, 1),
            "amber",
            "Estates requirements of the transformation workstreams "
            "being gathered; capital availability constrained.",
            "Estates baseline compiled.",
            "Start the estates workbook.",
            "No conventional capital for large new builds.",
        ),
        (
            date(2017, 11, 1),
            "amber",
            "Estates workbook in development to meet national planning "
            "requirements: shared assets, disposal of unused estate, capital for integrated models.",
            "Workbook structure agreed with NHS England and NHS Improvement.",
            "Complete the workbook ahead of new estates planning guidance in spring 2018.",
            "Competition for the 345m GBP of additional STP capital.",
        ),
    ],
    "productivity": [
        (
            date(2017, 4, 1),
            "amber",
            "Provider productivity opportunity of 190m GBP validated "
            "by Model Hospital benchmarking; working groups being set up.",
            "Six working groups established.",
            "Quantify each group's 2020/21 target.",
            "Delivery of cash-releasing savings.",
        ),
        (
            date(2017, 11, 1),
            "amber_green",
            "Eight working groups: temporary staffing, pathology, "
            "medicines, supplies and services, corporate and back office, A&E, care of the elderly, "
            "trauma and orthopaedics.",
            "Biosimilars benefits sharing agreement; category-level procurement savings.",
            "Pathology outline business case; mobilise A&E and care of the elderly groups.",
            "Recruiting the fixed-term productivity team (10 WTE) by spring 2018.",
        ),
    ],
    "system-commissioning-transformation": [
        (
            date(2017, 4, 1),
            "amber",
            "All eight CCGs working on governance for joint "
            "decision-making; some constitution changes needed. Strategic commissioner and local "
            "accountable care systems being defined.",
            "CCG governance proposals drafted.",
            "Agree joint committee arrangements.",
            "Lead time of CCG constitution changes feeds the programme timeline.",
        ),
        (
            date(2017, 11, 1),
            "amber",
            "East Kent accountable care partnership at memorandum of "
            "understanding stage; Medway, North and West Kent footprint under development; system "
            "transformation oversight group mobilised.",
            "Joint Committee of CCGs in place for stroke decisions.",
            "Confirm the Medway, North and West Kent footprint.",
            "Integrating specialised, local authority and day-to-day NHS commissioning.",
        ),
    ],
    "communications-engagement": [
        (
            date(2017, 4, 1),
            "amber_green",
            "Public listening events in spring; Case for Change published in March 2017.",
            "Listening events held across Kent and Medway.",
            "Plan autumn listening events.",
            "Public confidence that change is not only about money.",
        ),
        (
            date(2017, 10, 1),
            "green",
            "Autumn listening events broadly supportive; consultation "
            "planning for stroke under way with the newsletter and website.",
            "Themes captured: local care, transport and access, specialist centres.",
            "Prepare the stroke consultation materials.",
            "Consultation timing depends on NHS England assurance.",
        ),
    ],
}

# 2018/19 plans approved at the 5 March 2018 board (GBP): line name -> amount.
BUDGETS_2018: dict[str, dict[str, int]] = {
    "prevention": {"Programme staff": 180_000, "Campaigns and self-care": 120_000},
    "local-care": {
        "Programme staff": 420_000,
        "Clinical leadership": 150_000,
        "Analytics and modelling": 90_000,
    },
    "hospital-care": {
        "Programme staff": 520_000,
        "Clinical leadership": 200_000,
        "Consultation and engagement": 350_000,
        "Independent assurance": 150_000,
    },
    "mental-health": {"Programme staff": 210_000, "Stakeholder conference and engagement": 40_000},
    "digital": {"Programme staff": 240_000, "Kent Integrated Dataset": 300_000},
    "workforce": {"Programme staff": 200_000, "Recruitment and retention": 160_000},
    "estates": {"Programme staff": 150_000, "Estates workbook and surveys": 110_000},
    "productivity": {"Productivity team (10 WTE)": 650_000, "Benchmarking": 60_000},
    "system-commissioning-transformation": {
        "Programme staff": 260_000,
        "Legal and governance advice": 90_000,
    },
    "communications-engagement": {"Communications team": 230_000, "Events and materials": 80_000},
}

MEETINGS: list[dict[str, object]] = [
    {
        "date": date(2017, 4, 24),
        "period": date(2017, 4, 1),
        "location": "Maidstone",
        "items": [
            (
                "standing",
                "Workstream progress",
                None,
                "The Board received an overview of how each of the programme's ten workstreams is "
                "progressing, following detailed discussions between the workstream leads and the "
                "core programme management team on aims and objectives, progress against workplans, "
                "resourcing requirements, and risks and issues. The Board agreed there needed to be "
                "further detailed discussion about priorities and resourcing across the "
                "workstreams, acknowledging not everything could be done at once. The enabling "
                "workstreams (digital, workforce, estates) need a clearer brief from the "
                "transformation workstreams (prevention, local care, hospital care, mental health) "
                "about the support they need and by when.\n\nThe Kent Integrated Dataset (KID) was "
                "referenced as an important resource as the workstreams' plans progress.",
            ),
            (
                "decision",
                "CCG governance for joint decision-making",
                "system-commissioning-transformation",
                "All eight CCGs across Kent and Medway are making progress on agreeing governance "
                "for any joint decision-making needed to allow them to publicly consult on service "
                "changes. This will require changes to some CCG constitutions, a lead time that "
                "feeds into the programme's overarching timeline. Joint decisions will be on agreed "
                "issues (such as service change across a shared geography), not all CCG business.",
            ),
            (
                "standing",
                "Longer term commissioning transformation",
                "system-commissioning-transformation",
                "Leaders in commissioning and provider organisations generally agree there should "
                "be a strategic commissioning function for Kent and Medway, working alongside local "
                "commissioning through local accountable care systems. The Board discussed areas of "
                "complexity, such as integrating NHS England specialist commissioning, local "
                "authority commissioning and day-to-day NHS commissioning, and how to define "
                "appropriate accountable care systems.",
            ),
            (
                "deep_dive",
                "Hospital care workstream",
                "hospital-care",
                "An initial phase of work addresses acute services and elective orthopaedics in "
                "east Kent, and stroke and vascular services across Kent and Medway. Discussion "
                "focused on quality and clinical outcomes, workforce sustainability, financial "
                "affordability and join-up with local care. Conventional sources of capital are not "
                "readily available (benchmarking indicates 750 million to 1 billion GBP for new "
                "build). The evaluation criteria have been tested with clinicians, stakeholders and "
                "the public at listening events.",
            ),
            (
                "standing",
                "Recruitment update",
                None,
                "Advertisements were placed in March for a full-time Senior Responsible "
                "Officer/CEO for the programme and a Director of Commissioning Transformation; "
                "interviews will be held in May. About 130 applications were received for "
                "programme management office roles.",
            ),
        ],
        "decisions": [
            (
                0,
                "The Board agreed there needs to be further detailed discussion about priorities "
                "and resourcing across the workstreams, with some prioritisation.",
            ),
            (
                0,
                "The Board agreed the Kent Integrated Dataset should be managed as a system-wide "
                "tool, with the right governance across NHS and local authority organisations.",
            ),
        ],
        "actions": [
            (
                0,
                "Transformation workstreams to give the enabling workstreams a clear brief on "
                "the support they need and by when",
                "Transformation workstream leads",
                date(2017, 5, 22),
                date(2017, 6, 26),
            ),
            (
                0,
                "Propose system-wide governance for the Kent Integrated Dataset",
                "Digital workstream lead",
                date(2017, 9, 30),
                None,
            ),
            (
                1,
                "Report the timetable for CCG constitution changes",
                "Director of Commissioning Transformation",
                date(2017, 6, 26),
                date(2017, 6, 26),
            ),
            (
                4,
                "Interview for the SRO/CEO and Director of Commissioning Transformation posts",
                "Programme director",
                date(2017, 5, 31),
                date(2017, 5, 31),
            ),
        ],
        "publish": True,
    },
    {
        "date": date(2018, 3, 5),
        "period": date(2018, 2, 1),
        "location": "Maidstone",
        "items": [
            (
                "deep_dive",
                "Mental health ‘deep dive’",
                "mental-health",
                "The Board had a deep dive on mental health to understand progress to date, "
                "milestones achieved and products delivered, key risks and issues and how they are "
                "managed. Among the key outputs was a conference for key stakeholders, ‘Better "
                "Together – A Collective Conversation Transforming Mental Health and Wellbeing’, "
                "in Maidstone on Tuesday 13 March 2018.",
            ),
            (
                "decision",
                "Kent and Medway response to the national workforce strategy consultation",
                "workforce",
                "Health Education England and partners have produced a draft national Workforce "
                "Strategy for consultation, closing on 23 March 2018; Skills for Care is consulting "
                "on social care for a combined strategy in June/July 2018. The Board received a "
                "draft response developed by the Local Workforce Action Board (LWAB).",
            ),
            (
                "decision",
                "Clinical strategy update – clinical vision",
                None,
                "The Clinical and Professional Board (CPB) updated the Board on an overarching "
                "clinical vision for Kent and Medway, socialised with clinical audiences over the "
                "last two months. The CPB recommended further engagement with the wider public and "
                "within organisations on the next iteration.",
            ),
            (
                "decision",
                "STP planning and budget 2018/19",
                None,
                "Every part of the programme should aim to close the three Five Year Forward View "
                "gaps: health and wellbeing, care and quality, and finance and efficiency. The "
                "Board received detailed plans and budgets for 2018/19 from all workstreams.",
            ),
            (
                "standing",
                "Estates and Capital Plan – update",
                "estates",
                "NHS England and NHS Improvement are prioritising the additional 345m GBP of STP "
                "capital from the 2017 Budget. The estates workstream is developing an ‘estates "
                "workbook’ setting out how organisations will deploy capital for integrated "
                "service models, share assets and dispose of unused estate, ready for new estates "
                "planning guidance expected in the spring.",
            ),
            (
                "standing",
                "Chief Executive’s update",
                None,
                "Glenn Douglas, STP Chief Executive and Chair of the Programme Board, led "
                "discussion on workstream progress (local care, digital, prevention, workforce and "
                "productivity) and forward planning for the coming months.",
            ),
        ],
        "decisions": [
            (
                2,
                "The Board approved the CPB's plan for further engagement on the clinical vision "
                "with the wider public and within organisations.",
            ),
            (
                3,
                "The Board approved the 2018/19 plans and budgets of all STP workstreams and "
                "will receive regular detailed updates on progress.",
            ),
        ],
        "actions": [
            (
                1,
                "Finalise and submit the Kent and Medway response to the workforce strategy "
                "consultation",
                "Chair, Local Workforce Action Board",
                date(2018, 3, 23),
                None,
            ),
            (
                2,
                "Bring details of further engagement on the clinical vision",
                "Clinical and Professional Board",
                date(2018, 4, 30),
                None,
            ),
            (
                3,
                "Report progress against the 2018/19 plans and budgets",
                "Programme office",
                date(2018, 7, 31),
                None,
            ),
            (
                4,
                "Complete the estates workbook ahead of the new planning guidance",
                "Estates workstream lead",
                date(2018, 5, 31),
                None,
            ),
        ],
        "publish": False,
    },
]
