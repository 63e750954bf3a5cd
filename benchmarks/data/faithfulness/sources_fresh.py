"""Hand-written source passages of the broad faithfulness set's FRESH held-out split (test2).

Written on 2026-11-28, after the first test split had been used once for final figures, by a
helper who does not tune the scorer; nothing has been scored, tuned or inspected on it. Same
structure and rules as `sources.py` (see its docstring); `build.py` turns it into test2.jsonl.
Every passage, organisation, person, place, figure and date here is fictional (any likeness is
accidental), and none of these 6 domains is one of the 15 domains of `sources.py`.
"""

DOMAINS = [
    {
        "name": "rail_delay_repay",
        "split": "test2",
        "chunks": [
            "Kestrel Coast Railways pays compensation when a journey on its trains arrives at the "
            "destination station 15 minutes or more after the scheduled time. Passengers delayed "
            "by 15 to 29 minutes receive 25 percent of the single fare, and delays of 30 to 59 "
            "minutes are compensated at 50 percent. A delay of 60 minutes or more entitles the "
            "passenger to the full single fare. For return tickets, compensation is calculated on "
            "half of the return fare. Season ticket holders are compensated per delayed journey, "
            "using a daily value worked out from the price of their season ticket.",
            "Claims must be submitted within 28 days of the delayed journey, either online or with "
            "a paper form available at staffed stations. For journeys made between 20 December and "
            "3 January the claim window is extended to 42 days. Compensation is paid by bank "
            "transfer within 14 days of a successful claim, or as rail vouchers if the passenger "
            "prefers; vouchers are valid for 12 months. Claims cannot be made for journeys on the "
            "Harbour Tram, which is run by a separate company, Bayline Transit. Passengers who miss "
            "a connection because of a late Kestrel train are compensated on the delay at their "
            "final destination.",
            "Compensation is not paid when a delay was announced before the ticket was bought, or "
            "when the passenger chose to travel on a later train than the one booked. Delays "
            "caused by strikes are covered, but delays caused by severe weather warnings are "
            "covered only on the Estuary Line. Since 4 May 2025, delays of 15 minutes have been "
            "eligible; before that date the threshold was 30 minutes. Complaints about a rejected "
            "claim can be escalated to the independent Rail Passenger Ombudsman after 40 working "
            "days. The scheme is reviewed every January by the customer director, Helen "
            "Achterberg.",
        ],
        "facts": [
            (
                0,
                "Kestrel Coast Railways pays compensation when a journey on its trains arrives at "
                "the destination station 15 minutes or more after the scheduled time.",
                "If a Kestrel Coast Railways train gets you to your station 15 minutes or more late, "
                "you're owed compensation.",
                [
                    ("number", "15 minutes", "20 minutes"),
                    ("entity", "Kestrel Coast Railways", "Bayline Transit"),
                ],
            ),
            (
                0,
                "Passengers delayed by 15 to 29 minutes receive 25 percent of the single fare, and "
                "delays of 30 to 59 minutes are compensated at 50 percent.",
                "Between 15 and 29 minutes late gets you 25 percent of the single fare back, and 30 "
                "to 59 minutes gets you half of it.",
                [("number", "25 percent", "35 percent"), ("number", "half of it", "all of it")],
            ),
            (
                0,
                "A delay of 60 minutes or more entitles the passenger to the full single fare.",
                "Once you're an hour or more late, the whole single fare is refunded.",
                [("number", "an hour", "two hours")],
            ),
            (
                0,
                "For return tickets, compensation is calculated on half of the return fare.",
                "With a return ticket the payout is worked out from half the return fare.",
                [("number", "half the return fare", "the whole return fare")],
            ),
            (
                1,
                "Claims must be submitted within 28 days of the delayed journey, either online or "
                "with a paper form available at staffed stations.",
                "You have 28 days after the late journey to claim, and you can do it online or on a "
                "paper form from a staffed station.",
                [
                    ("number", "28 days", "60 days"),
                    (
                        "negation",
                        "you can do it online or on a paper form from a staffed station",
                        "you can only do it online",
                    ),
                ],
            ),
            (
                1,
                "For journeys made between 20 December and 3 January the claim window is extended "
                "to 42 days.",
                "Trips taken from 20 December to 3 January get a longer claim window of 42 days.",
                [
                    ("date", "20 December", "1 December"),
                    ("date", "3 January", "31 January"),
                    ("number", "42 days", "90 days"),
                ],
            ),
            (
                1,
                "Compensation is paid by bank transfer within 14 days of a successful claim, or as "
                "rail vouchers if the passenger prefers; vouchers are valid for 12 months.",
                "A successful claim is paid by bank transfer within 14 days, or in rail vouchers "
                "if you'd rather, and the vouchers last 12 months.",
                [("number", "14 days", "7 days"), ("number", "12 months", "6 months")],
            ),
            (
                1,
                "Claims cannot be made for journeys on the Harbour Tram, which is run by a separate "
                "company, Bayline Transit.",
                "Harbour Tram journeys aren't covered, because a different company, Bayline Transit, "
                "runs the tram.",
                [
                    ("negation", "aren't covered", "are covered too"),
                    ("entity", "Bayline Transit", "Portway Buses"),
                ],
            ),
            (
                1,
                "Passengers who miss a connection because of a late Kestrel train are compensated "
                "on the delay at their final destination.",
                "If a late Kestrel train makes you miss a connection, what you get depends on how "
                "late you reach your final destination.",
                [
                    (
                        "negation",
                        "how late you reach your final destination",
                        "the delay of the first train only",
                    )
                ],
            ),
            (
                2,
                "Compensation is not paid when a delay was announced before the ticket was bought, "
                "or when the passenger chose to travel on a later train than the one booked.",
                "You won't be compensated if the delay had already been announced when you bought "
                "your ticket, or if you decided to take a later train than the one you booked.",
                [("negation", "won't be compensated", "will still be compensated")],
            ),
            (
                2,
                "Delays caused by strikes are covered, but delays caused by severe weather warnings "
                "are covered only on the Estuary Line.",
                "Strike delays count, but delays from severe weather warnings only count on the "
                "Estuary Line.",
                [
                    ("negation", "Strike delays count", "Strike delays don't count"),
                    ("negation", "only count on the Estuary Line", "count on every line"),
                    ("entity", "Estuary Line", "Downs Line"),
                ],
            ),
            (
                2,
                "Since 4 May 2025, delays of 15 minutes have been eligible; before that date the "
                "threshold was 30 minutes.",
                "The 15-minute threshold has applied since 4 May 2025, and it used to be 30 minutes.",
                [("date", "4 May 2025", "4 May 2024"), ("number", "30 minutes", "45 minutes")],
            ),
            (
                2,
                "Complaints about a rejected claim can be escalated to the independent Rail "
                "Passenger Ombudsman after 40 working days.",
                "If your claim is turned down and you complain, you can go to the independent Rail "
                "Passenger Ombudsman after 40 working days.",
                [
                    ("entity", "Rail Passenger Ombudsman", "Office of Rail Standards"),
                    ("number", "40 working days", "10 working days"),
                ],
            ),
            (
                2,
                "The scheme is reviewed every January by the customer director, Helen Achterberg.",
                "Every January the customer director, Helen Achterberg, reviews the scheme.",
                [
                    ("date", "January", "September"),
                    ("entity", "Helen Achterberg", "Marcus Oyelaran"),
                ],
            ),
        ],
        "extras": [
            "First class passengers get an extra 10 percent on top of the standard compensation.",
            "Kestrel Coast Railways also pays for a taxi of up to 50 pounds when the last train is "
            "cancelled.",
            "Claims can also be made by phone on weekdays between 8:00 and 18:00.",
            "Delays on replacement bus services can be claimed for in the same way.",
        ],
        "clauses": [
            (6, " and can be spent in station cafes"),
            (12, ", whose decision the railway has to accept"),
            (2, " plus a free ticket for your next journey"),
            (3, ", even if only the return leg was late"),
        ],
    },
    {
        "name": "dishwasher_manual",
        "split": "test2",
        "chunks": [
            "Install the Halvard DW 600 on a level floor within 1.5 metres of a cold-water tap; the "
            "inlet hose must not be connected to a hot-water supply above 60 degrees. The drain "
            "hose may be raised to a maximum height of 90 centimetres. Before the first wash, pour "
            "1 kilogram of dishwasher salt into the softener reservoir at the bottom of the tub and "
            "top it up with water. This is only necessary once: afterwards the reservoir is "
            "refilled with salt alone whenever the salt indicator lights up. Set the water "
            "hardness level on the control panel between 1 and 7 according to your local water "
            "supplier.",
            "The Eco 50 programme is the most efficient for normally soiled dishes and uses 9.5 "
            "litres of water, but a full cycle takes 3 hours and 40 minutes. The Intensive 70 "
            "programme is for pots and pans with burnt-on food and takes 2 hours and 15 minutes. "
            "Quick 35 finishes in 35 minutes and is suitable only for lightly soiled items that "
            "have been used on the same day. Wooden chopping boards, cast-iron pans and "
            "hand-painted porcelain are not dishwasher safe and must be washed by hand. The start "
            "of any programme can be delayed by up to 24 hours using the Delay button. Since the "
            "firmware update of 12 February 2025, Eco 50 ends with the door opening automatically "
            "by 10 centimetres to help the dishes dry.",
            "Clean the filter at the bottom of the tub once a week by twisting it anticlockwise "
            "and rinsing it under running water. Never run the machine without the filter in "
            "place. If the display shows error E15, the base has detected a leak and the drain "
            "pump runs continuously; turn off the water tap and contact Halvard Service. Error E24 "
            "means the drain hose is kinked or blocked. Halvard guarantees the DW 600 for 2 years, "
            "and the motor for 10 years, from the date of delivery. Units built before 1 June 2023 "
            "need a software update for the Eco 50 timer, which a technician installs free of "
            "charge. Halvard Service can be reached Monday to Saturday from 8:00 to 20:00.",
        ],
        "facts": [
            (
                0,
                "Install the Halvard DW 600 on a level floor within 1.5 metres of a cold-water tap; "
                "the inlet hose must not be connected to a hot-water supply above 60 degrees.",
                "Put the DW 600 on a level floor no more than 1.5 metres from a cold-water tap, and "
                "don't connect the inlet hose to hot water above 60 degrees.",
                [
                    ("number", "1.5 metres", "3 metres"),
                    ("negation", "don't connect", "you can connect"),
                    ("number", "60 degrees", "80 degrees"),
                ],
            ),
            (
                0,
                "The drain hose may be raised to a maximum height of 90 centimetres.",
                "The drain hose can go up to 90 centimetres high, and no higher.",
                [
                    ("number", "90 centimetres", "150 centimetres"),
                    ("negation", "and no higher", "or higher if you need to"),
                ],
            ),
            (
                0,
                "Before the first wash, pour 1 kilogram of dishwasher salt into the softener "
                "reservoir at the bottom of the tub and top it up with water.",
                "Before you run it the first time, put 1 kilogram of dishwasher salt in the "
                "softener reservoir at the bottom of the tub and fill it up with water.",
                [("number", "1 kilogram", "250 grams"), ("entity", "dishwasher salt", "rinse aid")],
            ),
            (
                0,
                "This is only necessary once: afterwards the reservoir is refilled with salt alone "
                "whenever the salt indicator lights up.",
                "You only add the water that first time; after that you just top up the salt when "
                "the salt light comes on.",
                [
                    (
                        "negation",
                        "You only add the water that first time",
                        "You add water every time",
                    )
                ],
            ),
            (
                0,
                "Set the water hardness level on the control panel between 1 and 7 according to "
                "your local water supplier.",
                "The water hardness setting runs from 1 to 7, and you pick it based on what your "
                "local water supplier says.",
                [("number", "from 1 to 7", "from 1 to 10")],
            ),
            (
                1,
                "The Eco 50 programme is the most efficient for normally soiled dishes and uses 9.5 "
                "litres of water, but a full cycle takes 3 hours and 40 minutes.",
                "Eco 50 is the most efficient choice for normally dirty dishes, using 9.5 litres of "
                "water, though a full cycle lasts 3 hours 40 minutes.",
                [
                    ("number", "9.5 litres", "14 litres"),
                    ("negation", "most efficient", "least efficient"),
                    ("entity", "Eco 50", "Quick 35"),
                ],
            ),
            (
                1,
                "The Intensive 70 programme is for pots and pans with burnt-on food and takes 2 "
                "hours and 15 minutes.",
                "Use Intensive 70 for pots and pans with burnt-on food; it runs for 2 hours and 15 "
                "minutes.",
                [
                    ("number", "2 hours and 15 minutes", "1 hour and 15 minutes"),
                    ("entity", "Intensive 70", "Glass 45"),
                ],
            ),
            (
                1,
                "Quick 35 finishes in 35 minutes and is suitable only for lightly soiled items that "
                "have been used on the same day.",
                "Quick 35 takes 35 minutes and is only meant for lightly dirty things used the same "
                "day.",
                [
                    (
                        "negation",
                        "is only meant for lightly dirty things used the same day",
                        "works for any load, however dirty",
                    )
                ],
            ),
            (
                1,
                "Wooden chopping boards, cast-iron pans and hand-painted porcelain are not "
                "dishwasher safe and must be washed by hand.",
                "Wooden chopping boards, cast-iron pans and hand-painted porcelain have to be "
                "washed by hand, not in the dishwasher.",
                [
                    (
                        "negation",
                        "are not dishwasher safe and must be washed by hand",
                        "are all dishwasher safe",
                    ),
                    ("entity", "cast-iron pans", "stainless steel pans"),
                ],
            ),
            (
                1,
                "The start of any programme can be delayed by up to 24 hours using the Delay "
                "button.",
                "With the Delay button you can push back the start of any programme by as much as "
                "24 hours.",
                [("number", "24 hours", "12 hours")],
            ),
            (
                1,
                "Since the firmware update of 12 February 2025, Eco 50 ends with the door opening "
                "automatically by 10 centimetres to help the dishes dry.",
                "Since the 12 February 2025 firmware update, the door opens by itself by 10 "
                "centimetres at the end of Eco 50 so the dishes dry better.",
                [
                    ("date", "12 February 2025", "12 February 2024"),
                    ("number", "10 centimetres", "3 centimetres"),
                    ("entity", "Eco 50", "Intensive 70"),
                ],
            ),
            (
                2,
                "Clean the filter at the bottom of the tub once a week by twisting it anticlockwise "
                "and rinsing it under running water.",
                "Once a week, twist the filter out anticlockwise and rinse it under the tap.",
                [("negation", "anticlockwise", "clockwise")],
            ),
            (
                2,
                "Never run the machine without the filter in place.",
                "The machine should never be run with the filter taken out.",
                [("negation", "should never be run", "can safely be run")],
            ),
            (
                2,
                "If the display shows error E15, the base has detected a leak and the drain pump "
                "runs continuously; turn off the water tap and contact Halvard Service.",
                "Error E15 means a leak has been found in the base, so the drain pump keeps "
                "running; shut off the tap and call Halvard Service.",
                [("entity", "E15", "E24")],
            ),
            (
                2,
                "Error E24 means the drain hose is kinked or blocked.",
                "E24 tells you the drain hose is blocked or kinked.",
                [("entity", "drain hose", "inlet hose")],
            ),
            (
                2,
                "Halvard guarantees the DW 600 for 2 years, and the motor for 10 years, from the "
                "date of delivery.",
                "The DW 600 comes with a 2-year guarantee from delivery, and the motor is covered "
                "for 10 years.",
                [("number", "10 years", "5 years")],
            ),
            (
                2,
                "Units built before 1 June 2023 need a software update for the Eco 50 timer, which "
                "a technician installs free of charge.",
                "Machines made before 1 June 2023 need an Eco 50 timer software update, and a "
                "technician puts it on for free.",
                [("date", "1 June 2023", "1 June 2024"), ("negation", "for free", "for a fee")],
            ),
            (
                2,
                "Halvard Service can be reached Monday to Saturday from 8:00 to 20:00.",
                "You can reach Halvard Service from Monday to Saturday, 8:00 to 20:00.",
                [("date", "Monday to Saturday", "Monday to Friday"), ("number", "20:00", "17:00")],
            ),
        ],
        "extras": [
            "The DW 600 can be started remotely from the Halvard Home app.",
            "Rinse aid has to be refilled after every 10 washes.",
            "The cutlery basket can be taken out and placed in either rack.",
            "The DW 600 holds up to 14 place settings.",
        ],
        "clauses": [
            (5, ", which is why it is the factory setting"),
            (7, ", using only 6 litres of water"),
            (11, " with a soft brush and a drop of washing-up liquid"),
            (15, " if the machine is registered online within 30 days"),
        ],
    },
    {
        "name": "clock_museum_history",
        "split": "test2",
        "chunks": [
            "The Wendlebury Museum of Timekeeping opened on 3 May 1934 in a former wool warehouse "
            "on Canal Street. It was founded by Edith Farraday, a watchmaker's daughter who had "
            "collected clocks since the age of 12 and left her collection of 417 timepieces to the "
            "town. The first curator was her nephew, Arthur Lowden, who ran the museum for 31 "
            "years. Admission was free until 1962, when a charge of sixpence was introduced to pay "
            "for heating.",
            "During the Second World War the most valuable clocks were moved to a slate mine in "
            "North Wales, and the building was used as a store by the county council. The "
            "collection returned in August 1946, but 23 pieces had been damaged by damp. In 1978 a "
            "fire started by faulty wiring destroyed the east gallery; no clocks were lost, "
            "because the gallery was closed for redecoration and had been emptied. The gallery was "
            "rebuilt in 1981 with money from a public appeal that raised 84,000 pounds.",
            "The museum's best-known object is the Calloway astronomical clock, built in 1752 by "
            "the Bristol maker Josiah Penwarden, which shows the phases of the moon and the tides "
            "at 9 ports. It still runs, but it is not wound by visitors: a conservator winds it "
            "every 8 days. In 2019 the museum moved its archive of 6,000 repair ledgers to the "
            "county record office in Banford. The museum is open Wednesday to Sunday and closed in "
            "January; children under 16 enter free.",
        ],
        "facts": [
            (
                0,
                "The Wendlebury Museum of Timekeeping opened on 3 May 1934 in a former wool "
                "warehouse on Canal Street.",
                "The museum first opened its doors on 3 May 1934, in an old wool warehouse on Canal "
                "Street.",
                [
                    ("date", "3 May 1934", "3 May 1924"),
                    ("entity", "wool warehouse", "cotton mill"),
                    ("entity", "Canal Street", "Market Street"),
                ],
            ),
            (
                0,
                "It was founded by Edith Farraday, a watchmaker's daughter who had collected clocks "
                "since the age of 12 and left her collection of 417 timepieces to the town.",
                "Edith Farraday, whose father was a watchmaker, founded it; she had been collecting "
                "clocks since she was 12 and left all 417 of her timepieces to the town.",
                [
                    ("entity", "Edith Farraday", "Arthur Lowden"),
                    ("number", "417", "714"),
                    ("number", "since she was 12", "since she was 20"),
                ],
            ),
            (
                0,
                "The first curator was her nephew, Arthur Lowden, who ran the museum for 31 years.",
                "Her nephew Arthur Lowden was the first curator and stayed in charge for 31 years.",
                [("number", "31 years", "13 years"), ("entity", "nephew", "son")],
            ),
            (
                0,
                "Admission was free until 1962, when a charge of sixpence was introduced to pay for "
                "heating.",
                "Entry cost nothing until 1962, when a sixpence charge was brought in to cover the "
                "heating.",
                [("date", "1962", "1952"), ("negation", "cost nothing", "was charged")],
            ),
            (
                1,
                "During the Second World War the most valuable clocks were moved to a slate mine in "
                "North Wales, and the building was used as a store by the county council.",
                "In the Second World War the most valuable clocks were taken to a slate mine in "
                "North Wales while the county council used the building for storage.",
                [
                    ("entity", "North Wales", "Cornwall"),
                    ("entity", "slate mine", "bank vault"),
                    ("date", "Second World War", "First World War"),
                ],
            ),
            (
                1,
                "The collection returned in August 1946, but 23 pieces had been damaged by damp.",
                "When the collection came back in August 1946, 23 of the pieces had damp damage.",
                [("date", "August 1946", "August 1945"), ("number", "23", "32")],
            ),
            (
                1,
                "In 1978 a fire started by faulty wiring destroyed the east gallery; no clocks were "
                "lost, because the gallery was closed for redecoration and had been emptied.",
                "Faulty wiring caused a fire in 1978 that destroyed the east gallery, but no clocks "
                "were lost since it had been emptied for redecoration.",
                [
                    ("negation", "no clocks were lost", "dozens of clocks were lost"),
                    ("negation", "east gallery", "west gallery"),
                    ("date", "1978", "1987"),
                ],
            ),
            (
                1,
                "The gallery was rebuilt in 1981 with money from a public appeal that raised 84,000 "
                "pounds.",
                "A public appeal raised 84,000 pounds, which paid for rebuilding the gallery in "
                "1981.",
                [
                    ("number", "84,000", "48,000"),
                    ("date", "1981", "1991"),
                    ("entity", "A public appeal", "A government grant"),
                ],
            ),
            (
                2,
                "The museum's best-known object is the Calloway astronomical clock, built in 1752 "
                "by the Bristol maker Josiah Penwarden, which shows the phases of the moon and the "
                "tides at 9 ports.",
                "Its most famous piece is the Calloway astronomical clock, made in 1752 by Josiah "
                "Penwarden of Bristol, and it shows the moon's phases and the tides at 9 ports.",
                [
                    ("entity", "Josiah Penwarden", "Samuel Kettering"),
                    ("date", "1752", "1792"),
                    ("number", "9 ports", "12 ports"),
                    ("entity", "Bristol", "Norwich"),
                ],
            ),
            (
                2,
                "It still runs, but it is not wound by visitors: a conservator winds it every 8 "
                "days.",
                "The clock still works, and it's a conservator, not the visitors, who winds it "
                "every 8 days.",
                [
                    (
                        "negation",
                        "a conservator, not the visitors,",
                        "the visitors, not a conservator,",
                    ),
                    ("number", "every 8 days", "every 30 days"),
                    ("negation", "still works", "no longer works"),
                ],
            ),
            (
                2,
                "In 2019 the museum moved its archive of 6,000 repair ledgers to the county record "
                "office in Banford.",
                "The archive of 6,000 repair ledgers went to the county record office in Banford in "
                "2019.",
                [
                    ("entity", "Banford", "Ellesby"),
                    ("number", "6,000", "600"),
                    ("date", "2019", "2009"),
                ],
            ),
            (
                2,
                "The museum is open Wednesday to Sunday and closed in January; children under 16 "
                "enter free.",
                "It's open from Wednesday to Sunday, shut for the whole of January, and free for "
                "children under 16.",
                [
                    ("date", "Wednesday to Sunday", "Tuesday to Saturday"),
                    ("date", "January", "February"),
                    ("number", "under 16", "under 12"),
                ],
            ),
        ],
        "extras": [
            "The museum's cafe is in the old clock-winding room.",
            "Edith Farraday also wrote a well-known guide to English longcase clocks.",
            "A full-size copy of the Calloway clock stands in the town hall.",
            "The museum was granted a royal charter in 1955.",
        ],
        "clauses": [
            (2, " before he emigrated to Canada"),
            (8, ", and it chimes every quarter of an hour"),
            (7, ", with a matching grant from a local brewery"),
            (10, ", where researchers can read them by appointment"),
        ],
    },
    {
        "name": "pension_scheme_summary",
        "split": "test2",
        "chunks": [
            "The Brackenfield Cooperative Pension Plan is a defined contribution scheme for "
            "everyone employed by Brackenfield Cooperative Stores. Staff aged 22 or over who earn "
            "more than 10,000 pounds a year are enrolled automatically after a 3-month waiting "
            "period. Members pay 5 percent of their basic salary and the employer adds 7 percent; "
            "members who choose to pay 8 percent receive an employer contribution of 10 percent. "
            "Overtime and bonuses are not pensionable. Contributions are taken before income tax "
            "through salary sacrifice.",
            "Unless a member chooses otherwise, contributions are invested in the Lifestyle Growth "
            "fund, which moves gradually into bonds and cash over the 10 years before the member's "
            "selected retirement age. The annual management charge of the default fund is capped "
            "at 0.45 percent. Members can switch funds online at any time without charge, but no "
            "more than 4 times in a calendar year. Every member receives an annual statement each "
            "June showing the value of their pot. The plan is run by a board of 6 trustees, half "
            "of whom are elected by members; the chair since 2021 has been Gwen Altamira.",
            "Benefits can be taken from age 57, or earlier only in cases of serious ill health. Up "
            "to 25 percent of the pot can be taken as a tax-free lump sum. Members who leave "
            "Brackenfield within 2 years of joining may ask for a refund of their own "
            "contributions, but the employer's contributions are then kept by the plan. If a "
            "member dies before retirement, the full pot is paid to the people named on their "
            "nomination form. From 6 April 2026, the plan will also accept transfers in from "
            "other schemes.",
        ],
        "facts": [
            (
                0,
                "The Brackenfield Cooperative Pension Plan is a defined contribution scheme for "
                "everyone employed by Brackenfield Cooperative Stores.",
                "The plan is a defined contribution scheme open to all Brackenfield Cooperative "
                "Stores employees.",
                [
                    ("negation", "defined contribution", "defined benefit"),
                    ("entity", "Brackenfield Cooperative Stores", "Hartwell Foods"),
                ],
            ),
            (
                0,
                "Staff aged 22 or over who earn more than 10,000 pounds a year are enrolled "
                "automatically after a 3-month waiting period.",
                "If you're 22 or older and earn over 10,000 pounds a year, you're enrolled "
                "automatically once you've waited 3 months.",
                [
                    ("number", "22", "18"),
                    ("number", "10,000", "12,500"),
                    ("number", "3 months", "6 months"),
                ],
            ),
            (
                0,
                "Members pay 5 percent of their basic salary and the employer adds 7 percent; "
                "members who choose to pay 8 percent receive an employer contribution of 10 "
                "percent.",
                "You pay 5 percent of your basic salary and Brackenfield adds 7 percent, or 10 "
                "percent if you choose to pay 8 percent yourself.",
                [("number", "adds 7 percent", "adds 5 percent")],
            ),
            (
                0,
                "Overtime and bonuses are not pensionable.",
                "Overtime and bonus payments don't count towards the pension.",
                [("negation", "don't count", "also count")],
            ),
            (
                0,
                "Contributions are taken before income tax through salary sacrifice.",
                "Your contributions come out before income tax, by salary sacrifice.",
                [("negation", "before income tax", "after income tax")],
            ),
            (
                1,
                "Unless a member chooses otherwise, contributions are invested in the Lifestyle "
                "Growth fund, which moves gradually into bonds and cash over the 10 years before "
                "the member's selected retirement age.",
                "By default your money goes into the Lifestyle Growth fund, which shifts step by "
                "step into bonds and cash during the last 10 years before your chosen retirement "
                "age.",
                [
                    ("number", "10 years", "5 years"),
                    ("entity", "Lifestyle Growth", "Global Equity"),
                    ("entity", "bonds and cash", "property and shares"),
                ],
            ),
            (
                1,
                "The annual management charge of the default fund is capped at 0.45 percent.",
                "The default fund's yearly management charge can't go above 0.45 percent.",
                [("number", "0.45", "0.75"), ("negation", "can't go above", "starts at")],
            ),
            (
                1,
                "Members can switch funds online at any time without charge, but no more than 4 "
                "times in a calendar year.",
                "Switching funds online is free and you can do it whenever you like, though only 4 "
                "times per calendar year.",
                [("number", "4 times", "12 times"), ("negation", "is free", "costs a fee")],
            ),
            (
                1,
                "Every member receives an annual statement each June showing the value of their "
                "pot.",
                "Each June, every member gets a yearly statement with the value of their pot.",
                [("date", "June", "December")],
            ),
            (
                1,
                "The plan is run by a board of 6 trustees, half of whom are elected by members; the "
                "chair since 2021 has been Gwen Altamira.",
                "A board of 6 trustees runs the plan, half of them elected by the members, and Gwen "
                "Altamira has chaired it since 2021.",
                [
                    ("number", "6 trustees", "9 trustees"),
                    ("date", "2021", "2018"),
                    ("entity", "Gwen Altamira", "Oliver Trask"),
                ],
            ),
            (
                2,
                "Benefits can be taken from age 57, or earlier only in cases of serious ill health.",
                "You can draw your pension from 57, and earlier only if you're seriously ill.",
                [
                    ("number", "57", "55"),
                    (
                        "negation",
                        "and earlier only if you're seriously ill",
                        "or earlier if you like",
                    ),
                ],
            ),
            (
                2,
                "Up to 25 percent of the pot can be taken as a tax-free lump sum.",
                "At most a quarter of your pot can be paid out as a tax-free lump sum.",
                [("number", "a quarter", "a third"), ("negation", "tax-free", "taxable")],
            ),
            (
                2,
                "Members who leave Brackenfield within 2 years of joining may ask for a refund of "
                "their own contributions, but the employer's contributions are then kept by the "
                "plan.",
                "If you leave within 2 years of joining, you can get your own contributions back, "
                "but the plan keeps what the employer paid in.",
                [
                    ("number", "2 years", "5 years"),
                    (
                        "negation",
                        "but the plan keeps what the employer paid in",
                        "and the employer's payments as well",
                    ),
                ],
            ),
            (
                2,
                "If a member dies before retirement, the full pot is paid to the people named on "
                "their nomination form.",
                "Should a member die before retiring, the whole pot goes to whoever they named on "
                "their nomination form.",
                [("number", "the whole pot", "half the pot")],
            ),
            (
                2,
                "From 6 April 2026, the plan will also accept transfers in from other schemes.",
                "Transfers in from other pension schemes will be accepted from 6 April 2026.",
                [
                    ("date", "6 April 2026", "6 April 2025"),
                    ("date", "6 April", "6 October"),
                    ("negation", "will be accepted", "will not be accepted"),
                ],
            ),
        ],
        "extras": [
            "Members can borrow up to 10 percent of their pot to buy a first home.",
            "Brackenfield matches any additional voluntary contributions pound for pound.",
            "The Lifestyle Growth fund returned 6.2 percent last year.",
            "Members can pause their contributions for up to 6 months during parental leave.",
        ],
        "clauses": [
            (4, ", which saves both you and Brackenfield National Insurance"),
            (11, " once you have been a member for 5 years"),
            (7, ", and each switch is completed within 2 working days"),
            (13, ", free of inheritance tax"),
        ],
    },
    {
        "name": "tenancy_agreement",
        "split": "test2",
        "chunks": [
            "This agreement is made between Ashcombe Lettings Ltd (the landlord) and Nadia "
            "Kowalczyk (the tenant) for the flat at 14 Rope Walk, Pembry. The tenancy is for a "
            "fixed term of 12 months starting on 1 September 2026. The first payment of rent is "
            "due on 25 August 2026. The rent is 1,150 pounds per calendar month, payable in "
            "advance on the 1st day of each month by standing order. If rent is more than 14 days "
            "late, the landlord may charge interest at 3 percent a year above the base rate.",
            "The tenant has paid a deposit of 1,325 pounds, which is protected by the Tenancy "
            "Deposit Guard scheme within 30 days of receipt. The deposit will be returned within "
            "10 days of the end of the tenancy, minus any agreed deductions for damage beyond fair "
            "wear and tear. The tenant must not sublet the flat or any part of it. Pets are not "
            "allowed without the landlord's written consent, except for fish kept in a tank of "
            "under 50 litres. Smoking is prohibited inside the flat and on the balcony.",
            "The landlord is responsible for repairs to the structure, the boiler and the water "
            "pipes, and must carry out urgent repairs within 24 hours of being told. The annual "
            "gas safety check is carried out every March, and the tenant must allow access for it. "
            "The landlord may inspect the flat twice a year after giving at least 48 hours' "
            "written notice. After the fixed term, either party may end the tenancy: the tenant "
            "by giving 1 month's notice, the landlord by giving 2 months' notice. The rent may be "
            "increased only once a year, and never during the fixed term.",
        ],
        "facts": [
            (
                0,
                "This agreement is made between Ashcombe Lettings Ltd (the landlord) and Nadia "
                "Kowalczyk (the tenant) for the flat at 14 Rope Walk, Pembry.",
                "The agreement is between Ashcombe Lettings Ltd as landlord and Nadia Kowalczyk as "
                "tenant, for the flat at 14 Rope Walk in Pembry.",
                [
                    ("entity", "Ashcombe Lettings", "Pembry Homes"),
                    ("entity", "Rope Walk", "Mill Lane"),
                ],
            ),
            (
                0,
                "The tenancy is for a fixed term of 12 months starting on 1 September 2026.",
                "It's a 12-month fixed-term tenancy that begins on 1 September 2026.",
                [("number", "12-month", "6-month"), ("date", "1 September 2026", "1 October 2026")],
            ),
            (
                0,
                "The first payment of rent is due on 25 August 2026.",
                "The first rent payment has to be made by 25 August 2026.",
                [("date", "25 August", "28 August")],
            ),
            (
                0,
                "The rent is 1,150 pounds per calendar month, payable in advance on the 1st day of "
                "each month by standing order.",
                "Rent of 1,150 pounds a month is due in advance on the 1st of every month, paid by "
                "standing order.",
                [
                    ("number", "1,150", "1,250"),
                    ("negation", "in advance", "in arrears"),
                    ("date", "the 1st", "the 15th"),
                ],
            ),
            (
                0,
                "If rent is more than 14 days late, the landlord may charge interest at 3 percent a "
                "year above the base rate.",
                "Once rent is over 14 days late, the landlord can charge interest of 3 percent a "
                "year above the base rate.",
                [("number", "14 days", "7 days"), ("number", "3 percent", "8 percent")],
            ),
            (
                1,
                "The tenant has paid a deposit of 1,325 pounds, which is protected by the Tenancy "
                "Deposit Guard scheme within 30 days of receipt.",
                "The tenant's 1,325-pound deposit is protected with the Tenancy Deposit Guard "
                "scheme within 30 days of being received.",
                [
                    ("number", "1,325", "1,500"),
                    ("entity", "Tenancy Deposit Guard", "SafeLet Deposits"),
                    ("number", "30 days", "60 days"),
                ],
            ),
            (
                1,
                "The deposit will be returned within 10 days of the end of the tenancy, minus any "
                "agreed deductions for damage beyond fair wear and tear.",
                "The deposit comes back within 10 days of the tenancy ending, less any agreed "
                "deductions for damage beyond fair wear and tear.",
                [
                    ("number", "10 days", "30 days"),
                    ("negation", "beyond fair wear and tear", "including fair wear and tear"),
                ],
            ),
            (
                1,
                "The tenant must not sublet the flat or any part of it.",
                "Subletting the flat, or even part of it, isn't allowed.",
                [("negation", "isn't allowed", "is allowed")],
            ),
            (
                1,
                "Pets are not allowed without the landlord's written consent, except for fish kept "
                "in a tank of under 50 litres.",
                "You need the landlord's written consent for pets, apart from fish in a tank "
                "smaller than 50 litres.",
                [
                    ("negation", "apart from fish", "including fish"),
                    ("number", "50 litres", "100 litres"),
                ],
            ),
            (
                1,
                "Smoking is prohibited inside the flat and on the balcony.",
                "No smoking is allowed in the flat or on the balcony.",
                [
                    (
                        "negation",
                        "in the flat or on the balcony",
                        "in the flat, but it's fine on the balcony",
                    )
                ],
            ),
            (
                2,
                "The landlord is responsible for repairs to the structure, the boiler and the water "
                "pipes, and must carry out urgent repairs within 24 hours of being told.",
                "Repairs to the structure, boiler and water pipes are the landlord's job, and urgent "
                "ones must be done within 24 hours of the landlord being told.",
                [
                    ("entity", "are the landlord's job", "are the tenant's job"),
                    ("number", "24 hours", "72 hours"),
                ],
            ),
            (
                2,
                "The annual gas safety check is carried out every March, and the tenant must allow "
                "access for it.",
                "The yearly gas safety check happens every March, and the tenant has to let the "
                "engineer in.",
                [
                    ("date", "every March", "every November"),
                    ("negation", "has to let the engineer in", "can refuse to let the engineer in"),
                ],
            ),
            (
                2,
                "The landlord may inspect the flat twice a year after giving at least 48 hours' "
                "written notice.",
                "The landlord can inspect twice a year, as long as at least 48 hours' written notice "
                "is given.",
                [("number", "twice a year", "once a month"), ("number", "48 hours'", "24 hours'")],
            ),
            (
                2,
                "After the fixed term, either party may end the tenancy: the tenant by giving 1 "
                "month's notice, the landlord by giving 2 months' notice.",
                "Once the fixed term is over, the tenant can end the tenancy with 1 month's notice "
                "and the landlord with 2 months' notice.",
                [
                    (
                        "entity",
                        "the tenant can end the tenancy with 1 month's notice and the landlord",
                        "the landlord can end the tenancy with 1 month's notice and the tenant",
                    ),
                    ("number", "2 months'", "3 months'"),
                ],
            ),
            (
                2,
                "The rent may be increased only once a year, and never during the fixed term.",
                "Rent can go up no more than once a year, and not at all during the fixed term.",
                [
                    (
                        "negation",
                        "and not at all during the fixed term",
                        "including during the fixed term",
                    ),
                    ("number", "once a year", "twice a year"),
                ],
            ),
        ],
        "extras": [
            "The tenant is responsible for the council tax and the television licence.",
            "The flat is let furnished, including a washing machine and a fridge freezer.",
            "The landlord will repaint the flat every 3 years.",
            "The tenant may redecorate the living room with the landlord's verbal approval.",
        ],
        "clauses": [
            (7, " unless the landlord agrees in writing"),
            (5, " and earns interest for the tenant"),
            (12, ", and the tenant may be present during the inspection"),
            (8, ", and cats are usually approved"),
        ],
    },
    {
        "name": "lantern_festival_news",
        "split": "test2",
        "chunks": [
            "The Pellworth Lantern Festival returned to the town's riverside on Saturday 10 "
            "October after a two-year break, drawing an estimated 18,000 visitors, according to "
            "the organisers. The procession of 340 paper lanterns, made in workshops at 12 local "
            "schools, set off from the old corn exchange at 19:30 and took just under an hour to "
            "reach Fuller's Bridge. The festival was cancelled in 2024 and 2025 because the river "
            "path was closed for flood defence works. The first Pellworth Lantern Festival was "
            "held in 1987.",
            "This year's festival was funded by a grant of 45,000 pounds from Pellworth Town "
            "Council and by sponsorship from the Kittering Brewery, which also ran the food market. "
            "Council leader Ruth Obiang said the event had more than paid for itself in extra "
            "trade for town-centre businesses. Tickets were not required for the procession, but "
            "the fireworks display on Dane Meadow cost 6 pounds for adults and was free for "
            "children under 12. About 2,400 fireworks tickets were sold, and the display started "
            "15 minutes late because of strong wind.",
            "Police reported no arrests during the evening, although two people were treated for "
            "minor burns by St Cuthbert's ambulance volunteers. Road closures in the town centre "
            "were lifted at 23:00, an hour later than planned. Not everyone was pleased: residents "
            "of Mill Row complained that the noise went on past midnight, and the council has "
            "promised a review. Organiser Tomas Breck said the festival would return next year on "
            "9 October, but that the fireworks would move to the earlier time of 20:00 and that "
            "the route would not be extended.",
        ],
        "facts": [
            (
                0,
                "The Pellworth Lantern Festival returned to the town's riverside on Saturday 10 "
                "October after a two-year break, drawing an estimated 18,000 visitors, according "
                "to the organisers.",
                "After two years off, the Pellworth Lantern Festival was back on the riverside on "
                "Saturday 10 October, and the organisers think about 18,000 people came.",
                [
                    ("date", "Saturday 10 October", "Saturday 3 October"),
                    ("number", "18,000", "8,000"),
                    ("entity", "riverside", "market square"),
                ],
            ),
            (
                0,
                "The procession of 340 paper lanterns, made in workshops at 12 local schools, set "
                "off from the old corn exchange at 19:30 and took just under an hour to reach "
                "Fuller's Bridge.",
                "The 340 paper lanterns, made in workshops at 12 local schools, left the old corn "
                "exchange at 19:30 and reached Fuller's Bridge in just under an hour.",
                [
                    ("number", "340", "430"),
                    ("number", "19:30", "18:30"),
                    ("entity", "Fuller's Bridge", "the town hall"),
                ],
            ),
            (
                0,
                "The festival was cancelled in 2024 and 2025 because the river path was closed for "
                "flood defence works.",
                "There was no festival in 2024 or 2025, as the river path was shut for flood "
                "defence works.",
                [
                    ("date", "2024 or 2025", "2023 or 2024"),
                    ("entity", "flood defence works", "a bridge repair"),
                ],
            ),
            (
                0,
                "The first Pellworth Lantern Festival was held in 1987.",
                "Pellworth held its first lantern festival in 1987.",
                [("date", "1987", "1997")],
            ),
            (
                1,
                "This year's festival was funded by a grant of 45,000 pounds from Pellworth Town "
                "Council and by sponsorship from the Kittering Brewery, which also ran the food "
                "market.",
                "Pellworth Town Council put in a 45,000-pound grant, and the Kittering Brewery "
                "sponsored the festival and ran its food market.",
                [
                    ("number", "45,000", "54,000"),
                    ("entity", "Kittering Brewery", "Pellworth Bakery"),
                ],
            ),
            (
                1,
                "Council leader Ruth Obiang said the event had more than paid for itself in extra "
                "trade for town-centre businesses.",
                "According to council leader Ruth Obiang, the extra trade for town-centre businesses "
                "more than paid for the event.",
                [
                    ("entity", "Ruth Obiang", "Tomas Breck"),
                    ("negation", "more than paid for the event", "did not pay for the event"),
                ],
            ),
            (
                1,
                "Tickets were not required for the procession, but the fireworks display on Dane "
                "Meadow cost 6 pounds for adults and was free for children under 12.",
                "You didn't need a ticket for the procession, while the fireworks on Dane Meadow "
                "were 6 pounds for adults and free for under-12s.",
                [
                    ("negation", "You didn't need a ticket", "You needed a ticket"),
                    ("number", "6 pounds", "10 pounds"),
                    ("entity", "Dane Meadow", "Fuller's Bridge"),
                ],
            ),
            (
                1,
                "About 2,400 fireworks tickets were sold, and the display started 15 minutes late "
                "because of strong wind.",
                "Roughly 2,400 tickets for the fireworks were sold, and strong wind held up the "
                "start by 15 minutes.",
                [("number", "2,400", "4,200"), ("entity", "strong wind", "heavy rain")],
            ),
            (
                2,
                "Police reported no arrests during the evening, although two people were treated "
                "for minor burns by St Cuthbert's ambulance volunteers.",
                "There were no arrests, police said, but two people needed treatment for minor "
                "burns from St Cuthbert's ambulance volunteers.",
                [
                    ("negation", "There were no arrests", "There were several arrests"),
                    ("number", "two people", "twelve people"),
                ],
            ),
            (
                2,
                "Road closures in the town centre were lifted at 23:00, an hour later than planned.",
                "The town-centre road closures ended at 23:00, an hour later than planned.",
                [
                    ("number", "23:00", "22:00"),
                    ("negation", "later than planned", "earlier than planned"),
                ],
            ),
            (
                2,
                "Not everyone was pleased: residents of Mill Row complained that the noise went on "
                "past midnight, and the council has promised a review.",
                "Some residents of Mill Row complained that the noise carried on after midnight, "
                "and the council has promised to review it.",
                [
                    ("entity", "Mill Row", "Canal Street"),
                    ("negation", "has promised to review it", "has ruled out a review"),
                ],
            ),
            (
                2,
                "Organiser Tomas Breck said the festival would return next year on 9 October, but "
                "that the fireworks would move to the earlier time of 20:00 and that the route "
                "would not be extended.",
                "Organiser Tomas Breck says the festival will be back next year on 9 October, with "
                "the fireworks moved earlier to 20:00 and the route kept the same length.",
                [
                    ("date", "9 October", "16 October"),
                    ("negation", "the route kept the same length", "a longer route"),
                    ("number", "20:00", "21:00"),
                ],
            ),
        ],
        "extras": [
            "Shuttle buses ran from the railway station every 10 minutes during the festival.",
            "The Kittering Brewery brewed a special lantern ale for the evening.",
            "Next year the lantern workshops will be open to adults for the first time.",
            "A record 60 food stalls took part in the market this year.",
        ],
        "clauses": [
            (9, ", because of a burst water main on Bridge Street"),
            (7, ", and the fireworks sold out by noon"),
            (1, ", led by a brass band from Marlby"),
            (3, " to celebrate the opening of the new river path"),
        ],
    },
]
