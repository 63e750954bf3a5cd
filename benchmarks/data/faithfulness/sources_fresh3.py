"""Hand-written source passages of the broad faithfulness set's second fresh held-out split (test3).

Written on 2026-11-28 by a helper (`faithtest3`) who does not tune the scorer and has not seen its
code or results, while the scorer was being retrained on dev, test and test2; nothing has been
scored, tuned or inspected on it. Same structure and rules as `sources.py` (see its docstring);
`build.py` turns it into test3.jsonl. Every passage, organisation, person, place, figure and date
here is fictional (any likeness is accidental), and none of these 6 domains is one of the 21
domains of `sources.py` and `sources_fresh.py`.
"""

DOMAINS = [
    {
        "name": "ferry_timetable",
        "split": "test3",
        "chunks": [
            "Skerrow Island Ferries runs the crossing between Port Alder and Skerrow Quay, which "
            "takes 55 minutes. From 1 April to 30 September there are six sailings a day in each "
            "direction, the first leaving Port Alder at 06:40 and the last leaving Skerrow Quay at "
            "21:15. In winter the service drops to four sailings a day, and there is no sailing on "
            "25 December. Vehicles must check in at least 30 minutes before departure, while foot "
            "passengers may board until 10 minutes before the ship leaves. The MV Corrie Bell "
            "carries up to 38 cars and 290 passengers. Sailings are cancelled when the wind "
            "forecast at Port Alder exceeds 45 knots, and the decision is posted on the website by "
            "05:30.",
            "An adult single foot fare costs 8.60 pounds and a child aged 5 to 15 travels for 4.30 "
            "pounds; children under 5 travel free. A car up to 5 metres long costs 42 pounds "
            "single, including the driver, but each additional passenger pays the foot fare. "
            "Islanders registered with Skerrow Community Council receive a 40 percent discount on "
            "all fares except during the August regatta week. Books of 10 single tickets for foot "
            "passengers cost 69 pounds and are valid for 6 months from purchase. Bicycles travel "
            "free, but motorcycles are charged at 15 pounds. Fares do not include the harbour levy "
            "of 1.20 pounds per passenger, which Port Alder Harbour Trust collects at the terminal.",
            "Vehicle space must be booked in advance between June and August; foot passengers "
            "cannot book and are carried on a first-come basis. A booking can be changed free of "
            "charge up to 24 hours before departure, after which a fee of 10 pounds applies. "
            "Tickets are refundable only if the sailing is cancelled by the operator or the "
            "booking is cancelled at least 48 hours ahead. Dogs are allowed on the open deck and in "
            "the dog lounge, but not in the main saloon, except for assistance dogs. Since 3 March "
            "2025 tickets can be bought on board by card only, as cash is no longer accepted. The "
            "timetable is set each year by the operations manager, Fiona Macaskill, and approved "
            "by the Highland Transport Partnership.",
        ],
        "facts": [
            (
                0,
                "Skerrow Island Ferries runs the crossing between Port Alder and Skerrow Quay, "
                "which takes 55 minutes.",
                "It's a 55-minute crossing from Port Alder over to Skerrow Quay with Skerrow Island "
                "Ferries.",
                [
                    ("number", "55-minute", "75-minute"),
                    ("entity", "over to Skerrow Quay", "over to Kilbrannan Pier"),
                ],
            ),
            (
                0,
                "From 1 April to 30 September there are six sailings a day in each direction, the "
                "first leaving Port Alder at 06:40 and the last leaving Skerrow Quay at 21:15.",
                "Between April and September there are six sailings each way a day, starting at "
                "06:40 from Port Alder, with the last one back from Skerrow Quay at 21:15.",
                [
                    ("number", "six sailings", "eight sailings"),
                    ("date", "Between April and September", "Between May and October"),
                    ("number", "21:15", "22:45"),
                    ("entity", "06:40 from Port Alder", "06:40 from Skerrow Quay"),
                ],
            ),
            (
                0,
                "In winter the service drops to four sailings a day, and there is no sailing on 25 "
                "December.",
                "Winter brings it down to four a day, and nothing runs on Christmas Day.",
                [
                    ("number", "four a day", "two a day"),
                    ("negation", "nothing runs on", "it runs as normal on"),
                    ("date", "Christmas Day", "New Year's Day"),
                ],
            ),
            (
                0,
                "Vehicles must check in at least 30 minutes before departure, while foot passengers "
                "may board until 10 minutes before the ship leaves.",
                "Drivers need to check in 30 minutes ahead at the latest; if you're on foot you can "
                "get on up to 10 minutes before it sails.",
                [
                    ("number", "30 minutes", "15 minutes"),
                    ("number", "up to 10 minutes", "up to 2 minutes"),
                    ("negation", "at the latest", "at the earliest"),
                ],
            ),
            (
                0,
                "The MV Corrie Bell carries up to 38 cars and 290 passengers.",
                "The boat, the MV Corrie Bell, takes a maximum of 38 cars and 290 people.",
                [
                    ("number", "38 cars", "58 cars"),
                    ("entity", "MV Corrie Bell", "MV Isle of Rona"),
                    ("number", "290 people", "490 people"),
                ],
            ),
            (
                0,
                "Sailings are cancelled when the wind forecast at Port Alder exceeds 45 knots, and "
                "the decision is posted on the website by 05:30.",
                "If winds over 45 knots are forecast at Port Alder the sailings are called off, and "
                "they put that on the website by 05:30.",
                [
                    ("number", "45 knots", "60 knots"),
                    ("negation", "are called off", "still go ahead"),
                ],
            ),
            (
                1,
                "An adult single foot fare costs 8.60 pounds and a child aged 5 to 15 travels for "
                "4.30 pounds; children under 5 travel free.",
                "Adults on foot pay 8.60 pounds one way, kids from 5 to 15 pay 4.30, and under-5s "
                "go free.",
                [
                    ("number", "8.60", "6.80"),
                    ("number", "pay 4.30", "pay 5.30"),
                    ("negation", "under-5s go free", "under-5s pay the child fare"),
                ],
            ),
            (
                1,
                "A car up to 5 metres long costs 42 pounds single, including the driver, but each "
                "additional passenger pays the foot fare.",
                "It's 42 pounds one way for a car of up to 5 metres, driver included; anyone else "
                "in the car pays as a foot passenger.",
                [
                    ("number", "42 pounds", "48 pounds"),
                    ("negation", "driver included", "driver not included"),
                    ("number", "up to 5 metres", "up to 6 metres"),
                ],
            ),
            (
                1,
                "Islanders registered with Skerrow Community Council receive a 40 percent discount "
                "on all fares except during the August regatta week.",
                "If you're registered as an islander with Skerrow Community Council you get 40 "
                "percent off every fare, apart from in regatta week in August.",
                [
                    ("number", "40 percent", "50 percent"),
                    ("entity", "Skerrow Community Council", "Port Alder Harbour Trust"),
                    ("date", "in August", "in July"),
                    ("negation", "apart from in regatta week", "regatta week included"),
                ],
            ),
            (
                1,
                "Books of 10 single tickets for foot passengers cost 69 pounds and are valid for 6 "
                "months from purchase.",
                "A book of 10 foot-passenger singles is 69 pounds and you have 6 months to use it.",
                [("number", "69 pounds", "59 pounds"), ("number", "6 months", "12 months")],
            ),
            (
                1,
                "Bicycles travel free, but motorcycles are charged at 15 pounds.",
                "Bikes go for nothing; motorbikes cost 15 pounds.",
                [
                    ("negation", "Bikes go for nothing", "Bikes cost extra"),
                    ("number", "15 pounds", "25 pounds"),
                ],
            ),
            (
                1,
                "Fares do not include the harbour levy of 1.20 pounds per passenger, which Port "
                "Alder Harbour Trust collects at the terminal.",
                "On top of the fare there's a 1.20 pound harbour levy per person, collected by Port "
                "Alder Harbour Trust at the terminal.",
                [
                    ("negation", "On top of the fare there's", "The fare already includes"),
                    ("entity", "Port Alder Harbour Trust", "Skerrow Island Ferries"),
                    ("number", "1.20", "2.10"),
                ],
            ),
            (
                2,
                "Vehicle space must be booked in advance between June and August; foot passengers "
                "cannot book and are carried on a first-come basis.",
                "From June to August you have to book ahead for a vehicle, but foot passengers "
                "can't reserve and just turn up.",
                [
                    ("date", "From June to August", "From May to September"),
                    ("negation", "foot passengers can't reserve", "foot passengers must reserve"),
                ],
            ),
            (
                2,
                "A booking can be changed free of charge up to 24 hours before departure, after "
                "which a fee of 10 pounds applies.",
                "You can change a booking for free until 24 hours before sailing; later changes "
                "cost 10 pounds.",
                [("number", "24 hours", "2 hours"), ("number", "cost 10 pounds", "cost 20 pounds")],
            ),
            (
                2,
                "Tickets are refundable only if the sailing is cancelled by the operator or the "
                "booking is cancelled at least 48 hours ahead.",
                "You only get a refund if the operator cancels the sailing or you cancel at least "
                "48 hours before.",
                [
                    ("number", "48 hours", "12 hours"),
                    ("negation", "at least 48 hours before", "any time before"),
                ],
            ),
            (
                2,
                "Dogs are allowed on the open deck and in the dog lounge, but not in the main "
                "saloon, except for assistance dogs.",
                "Dogs can go on the open deck or in the dog lounge; only assistance dogs are allowed "
                "in the main saloon.",
                [
                    ("negation", "only assistance dogs are allowed", "all dogs are allowed"),
                    ("entity", "open deck", "car deck"),
                ],
            ),
            (
                2,
                "Since 3 March 2025 tickets can be bought on board by card only, as cash is no "
                "longer accepted.",
                "Onboard sales have been card-only since 3 March 2025, so no more cash.",
                [
                    ("date", "3 March 2025", "3 March 2024"),
                    ("negation", "have been card-only since", "were card-only until"),
                ],
            ),
            (
                2,
                "The timetable is set each year by the operations manager, Fiona Macaskill, and "
                "approved by the Highland Transport Partnership.",
                "Fiona Macaskill, the operations manager, draws up the timetable every year, and "
                "the Highland Transport Partnership signs it off.",
                [
                    ("entity", "Fiona Macaskill", "Morag Henderson"),
                    ("entity", "Highland Transport Partnership", "Skerrow Community Council"),
                ],
            ),
        ],
        "extras": [
            "Pensioners travel free on weekday sailings.",
            "A ferry ticket also covers the island bus for 2 hours after you land.",
            "The cafe on board serves hot food until 20:00.",
            "Caravans longer than 7 metres need written permission from the harbour master.",
        ],
        "clauses": [
            (0, " on either of its two ships"),
            (9, ", and unused tickets can be refunded"),
            (17, " at a public meeting in November"),
            (4, ", and it was built in 1998"),
        ],
    },
    {
        "name": "hearing_aid_guide",
        "split": "test3",
        "chunks": [
            "The Sonel Aura 3 is a behind-the-ear hearing aid for mild to severe hearing loss. Its "
            "rechargeable lithium-ion battery lasts up to 30 hours on a full charge, or 22 hours "
            "when streaming audio from a phone for 5 hours of that time. A full charge in the "
            "Sonel charging case takes 3 hours, and a 30-minute charge gives about 6 hours of use. "
            "The aid switches on automatically when it is taken out of the case and switches off "
            "when it is put back in. The case itself holds enough power for three full charges of "
            "both hearing aids without being plugged in. Do not leave the aids in a car in direct "
            "sunlight, because the battery stops charging above 40 degrees.",
            "The aid has four programmes: Everyday, Noise, Music and Telephone. Press the button "
            "on the back of the aid once to move to the next programme; you will hear one beep for "
            "Everyday, two for Noise, three for Music and four for Telephone. Pressing and holding "
            "the button for 3 seconds mutes the aid. Volume can be changed only in the Sonel "
            "Connect app, not on the aid itself. The app works on phones running Android 11 or "
            "later and iOS 16 or later. Streaming works with Bluetooth Low Energy Audio, but not "
            "with older Bluetooth Classic headsets. The Telephone programme was added in the "
            "software update of 14 March 2025. The aid is rated IP68 and survives rain and sweat, "
            "but it must be removed before swimming or showering.",
            "Clean the microphone openings every evening with the soft brush supplied, never with "
            "water or alcohol wipes. Replace the wax guard in the receiver every 4 to 6 weeks, or "
            "sooner if the sound becomes weak. The dome should be changed every 2 months. Your "
            "audiologist will see you 2 weeks after fitting for a fine-tuning appointment and then "
            "once a year. The Aura 3 is covered by a 3-year warranty from the date of fitting, "
            "which includes one replacement if the aid is lost within the first 12 months; an "
            "excess of 95 pounds is charged for it. Repairs are handled by Sonel Hearing Care in "
            "Reading. Aids fitted before 1 October 2024 need firmware version 2.4 for Low Energy "
            "Audio streaming.",
        ],
        "facts": [
            (
                0,
                "The Sonel Aura 3 is a behind-the-ear hearing aid for mild to severe hearing loss.",
                "It's a behind-the-ear aid meant for mild to severe hearing loss.",
                [("negation", "a behind-the-ear", "an in-the-ear")],
            ),
            (
                0,
                "Its rechargeable lithium-ion battery lasts up to 30 hours on a full charge, or 22 "
                "hours when streaming audio from a phone for 5 hours of that time.",
                "Fully charged, the battery gives you up to 30 hours, or 22 if you stream from "
                "your phone for 5 of them.",
                [("number", "30 hours", "40 hours"), ("number", "or 22 if", "or 28 if")],
            ),
            (
                0,
                "A full charge in the Sonel charging case takes 3 hours, and a 30-minute charge "
                "gives about 6 hours of use.",
                "Charging fully in the case takes 3 hours; half an hour in it gets you roughly 6 "
                "hours.",
                [
                    ("number", "takes 3 hours", "takes 5 hours"),
                    ("number", "roughly 6", "roughly 12"),
                ],
            ),
            (
                0,
                "The aid switches on automatically when it is taken out of the case and switches "
                "off when it is put back in.",
                "Take it out of the case and it turns itself on; put it back and it turns off.",
                [("negation", "it turns itself on", "you have to switch it on yourself")],
            ),
            (
                0,
                "The case itself holds enough power for three full charges of both hearing aids "
                "without being plugged in.",
                "Unplugged, the case can still fully charge both aids three times.",
                [("number", "three times", "ten times")],
            ),
            (
                0,
                "Do not leave the aids in a car in direct sunlight, because the battery stops "
                "charging above 40 degrees.",
                "Don't leave them in a sunny car: above 40 degrees the battery won't charge.",
                [
                    ("number", "40 degrees", "60 degrees"),
                    ("negation", "above 40 degrees", "below 40 degrees"),
                ],
            ),
            (
                1,
                "The aid has four programmes: Everyday, Noise, Music and Telephone.",
                "There are four programmes, Everyday, Noise, Music and Telephone.",
                [("number", "four programmes", "five programmes"), ("entity", "Music", "Outdoor")],
            ),
            (
                1,
                "Volume can be changed only in the Sonel Connect app, not on the aid itself.",
                "You can only adjust the volume in the Sonel Connect app; there's no volume control "
                "on the aid.",
                [
                    ("negation", "there's no volume control on the aid", "the aid has a dial too"),
                    ("entity", "Sonel Connect", "Sonel Remote"),
                ],
            ),
            (
                1,
                "The app works on phones running Android 11 or later and iOS 16 or later.",
                "It needs Android 11 or newer, or iOS 16 or newer.",
                [
                    ("number", "Android 11", "Android 9"),
                    ("number", "iOS 16", "iOS 14"),
                    ("negation", "Android 11 or newer", "Android 11 or older"),
                ],
            ),
            (
                1,
                "Streaming works with Bluetooth Low Energy Audio, but not with older Bluetooth "
                "Classic headsets.",
                "It streams over Bluetooth Low Energy Audio; older Bluetooth Classic headsets won't "
                "work.",
                [("negation", "won't work", "work as well")],
            ),
            (
                1,
                "The Telephone programme was added in the software update of 14 March 2025.",
                "The 14 March 2025 software update is what added the Telephone programme.",
                [
                    ("date", "14 March 2025", "14 May 2025"),
                    ("entity", "the Telephone programme", "the Music programme"),
                ],
            ),
            (
                1,
                "The aid is rated IP68 and survives rain and sweat, but it must be removed before "
                "swimming or showering.",
                "It's IP68, so rain and sweat won't harm it, but take it out before you swim or "
                "shower.",
                [
                    ("negation", "take it out before you swim", "you can leave it in to swim"),
                    ("number", "IP68", "IP54"),
                ],
            ),
            (
                2,
                "Clean the microphone openings every evening with the soft brush supplied, never "
                "with water or alcohol wipes.",
                "Brush the microphone openings every night with the brush that comes with it, and "
                "don't use water or alcohol wipes.",
                [
                    ("negation", "don't use water or alcohol wipes", "use an alcohol wipe"),
                    ("date", "every night", "every Sunday"),
                ],
            ),
            (
                2,
                "Replace the wax guard in the receiver every 4 to 6 weeks, or sooner if the sound "
                "becomes weak.",
                "Swap the wax guard every 4 to 6 weeks, earlier if the sound gets weak.",
                [
                    ("number", "4 to 6 weeks", "4 to 6 months"),
                    ("negation", "earlier if", "but never earlier, even if"),
                ],
            ),
            (
                2,
                "Your audiologist will see you 2 weeks after fitting for a fine-tuning appointment "
                "and then once a year.",
                "Two weeks after the fitting you go back to the audiologist for fine-tuning, and "
                "after that it's yearly.",
                [("number", "Two weeks", "Six weeks"), ("number", "it's yearly", "it's monthly")],
            ),
            (
                2,
                "The Aura 3 is covered by a 3-year warranty from the date of fitting, which "
                "includes one replacement if the aid is lost within the first 12 months; an excess "
                "of 95 pounds is charged for it.",
                "There's a 3-year warranty from fitting, including one replacement if you lose it "
                "in the first 12 months, with a 95-pound excess.",
                [
                    ("number", "3-year", "5-year"),
                    ("number", "95-pound", "195-pound"),
                    ("negation", "including one replacement", "but no replacement"),
                ],
            ),
            (
                2,
                "Repairs are handled by Sonel Hearing Care in Reading.",
                "Sonel Hearing Care in Reading does the repairs.",
                [
                    ("entity", "Reading", "Swindon"),
                    ("entity", "Sonel Hearing Care", "Aural Direct"),
                ],
            ),
            (
                2,
                "Aids fitted before 1 October 2024 need firmware version 2.4 for Low Energy Audio "
                "streaming.",
                "If yours was fitted before 1 October 2024, you'll need firmware 2.4 to stream over "
                "Low Energy Audio.",
                [
                    ("date", "1 October 2024", "1 October 2023"),
                    ("negation", "before 1 October", "after 1 October"),
                    ("number", "firmware 2.4", "firmware 3.1"),
                ],
            ),
        ],
        "extras": [
            "The Aura 3 can also be charged with a USB-C cable, without the case.",
            "An audiologist can add a tinnitus programme at the first review.",
            "Replacement domes cost 6 pounds for a pack of ten.",
            "The aid comes in six colours, including a clear shell.",
        ],
        "clauses": [
            (1, ", even in freezing weather"),
            (8, ", and it also runs on most smart watches"),
            (16, ", which usually takes about 5 working days"),
            (3, ", and it beeps twice when it does"),
        ],
    },
    {
        "name": "community_garden_history",
        "split": "test3",
        "chunks": [
            "The Marlow Street Community Garden in Hesketh Bridge began in the spring of 1987, when "
            "residents cleared a bomb site that had stood empty since 1941. The land belonged to "
            "the railway, which leased it to the residents' association for a rent of one pound a "
            "year. The first chair of the garden committee was Doreen Abernathy, a retired school "
            "cook, who held the post for 19 years. Twelve raised beds were built in the first "
            "summer from reclaimed railway sleepers. Water came from a standpipe lent by the fire "
            "brigade, since the site had no mains connection until 1993. No pesticides have ever "
            "been used on the site, a rule written into the first constitution.",
            "In 1998 the railway sold the land to Hesketh Borough Council, which agreed not to "
            "build on it for 25 years. The garden then grew to 46 beds, and a greenhouse donated "
            "by the Pennine Growers' Society was put up in 2001. Beds are allocated by lottery "
            "every March; the waiting list reached 130 names in 2012. Plot holders pay 18 pounds a "
            "year and must work at least four hours a month on shared tasks. Half of the beds are "
            "reserved for residents of the three streets around the garden, while the rest are "
            "open to anyone living in the borough. Fruit trees were planted along the eastern wall "
            "in 2004, but the plan for a pond was dropped after a safety review.",
            "In 2019 a fire destroyed the tool shed and the greenhouse, and the garden closed for "
            "five months. A crowdfunding campaign led by Samir Qureshi raised 14,200 pounds from "
            "611 donors, enough to rebuild both in brick. The garden reopened on 6 June 2020 with "
            "a ramp and two raised beds at wheelchair height. The local primary school, St "
            "Aidan's, has used four beds for lessons since 2021. The council's 25-year promise "
            "expired in 2023, and the garden is now protected as an Asset of Community Value, "
            "which gives the association six months to bid if the land is ever sold. The annual "
            "harvest supper is held on the last Saturday of September.",
        ],
        "facts": [
            (
                0,
                "The Marlow Street Community Garden in Hesketh Bridge began in the spring of 1987, "
                "when residents cleared a bomb site that had stood empty since 1941.",
                "The garden on Marlow Street started in spring 1987, when local people cleared a "
                "bomb site that had been empty since 1941.",
                [
                    ("date", "spring 1987", "spring 1978"),
                    ("date", "since 1941", "since 1944"),
                    ("entity", "Marlow Street", "Mercer Street"),
                ],
            ),
            (
                0,
                "The land belonged to the railway, which leased it to the residents' association "
                "for a rent of one pound a year.",
                "The railway owned the plot and let the residents' association have it for a pound "
                "a year.",
                [
                    ("number", "for a pound a year", "for a hundred pounds a year"),
                    ("entity", "The railway owned", "The council owned"),
                ],
            ),
            (
                0,
                "The first chair of the garden committee was Doreen Abernathy, a retired school "
                "cook, who held the post for 19 years.",
                "Doreen Abernathy, a retired school cook, was the first chair and stayed in the job "
                "for 19 years.",
                [
                    ("entity", "Doreen Abernathy", "Margaret Ellery"),
                    ("number", "19 years", "9 years"),
                    ("entity", "school cook", "headteacher"),
                ],
            ),
            (
                0,
                "Twelve raised beds were built in the first summer from reclaimed railway sleepers.",
                "In that first summer they built twelve raised beds out of old railway sleepers.",
                [
                    ("number", "twelve raised beds", "twenty raised beds"),
                    ("entity", "railway sleepers", "scaffolding boards"),
                ],
            ),
            (
                0,
                "Water came from a standpipe lent by the fire brigade, since the site had no mains "
                "connection until 1993.",
                "There was no mains water until 1993, so they used a standpipe the fire brigade "
                "lent them.",
                [
                    ("date", "until 1993", "until 1989"),
                    ("entity", "the fire brigade", "the water board"),
                    (
                        "negation",
                        "There was no mains water until 1993, so",
                        "There was mains water from the start, but",
                    ),
                ],
            ),
            (
                0,
                "No pesticides have ever been used on the site, a rule written into the first "
                "constitution.",
                "Pesticides have never been used there; the very first constitution banned them.",
                [
                    (
                        "negation",
                        "Pesticides have never been used there",
                        "Pesticides have been used there now and then",
                    )
                ],
            ),
            (
                1,
                "In 1998 the railway sold the land to Hesketh Borough Council, which agreed not to "
                "build on it for 25 years.",
                "The council bought the land off the railway in 1998 and promised not to build on "
                "it for 25 years.",
                [
                    ("date", "in 1998", "in 1996"),
                    ("number", "25 years", "50 years"),
                    ("negation", "promised not to build on it", "kept the right to build on it"),
                ],
            ),
            (
                1,
                "The garden then grew to 46 beds, and a greenhouse donated by the Pennine Growers' "
                "Society was put up in 2001.",
                "After that it expanded to 46 beds, and in 2001 it got a greenhouse, a gift from the "
                "Pennine Growers' Society.",
                [
                    ("number", "46 beds", "64 beds"),
                    ("date", "in 2001", "in 2011"),
                    ("entity", "Pennine Growers' Society", "Hesketh Rotary Club"),
                ],
            ),
            (
                1,
                "Beds are allocated by lottery every March; the waiting list reached 130 names in "
                "2012.",
                "Beds go by a draw each March, and by 2012 there were 130 people waiting.",
                [("date", "each March", "each October"), ("number", "130 people", "30 people")],
            ),
            (
                1,
                "Plot holders pay 18 pounds a year and must work at least four hours a month on "
                "shared tasks.",
                "It costs 18 pounds a year for a plot, plus at least four hours a month on jobs for "
                "the whole garden.",
                [
                    ("number", "18 pounds", "80 pounds"),
                    ("number", "four hours a month", "four hours a week"),
                    ("negation", "at least four hours", "at most four hours"),
                ],
            ),
            (
                1,
                "Half of the beds are reserved for residents of the three streets around the "
                "garden, while the rest are open to anyone living in the borough.",
                "Half the beds are kept for people on the three surrounding streets; anyone in the "
                "borough can apply for the others.",
                [
                    ("number", "Half the beds", "A quarter of the beds"),
                    ("negation", "anyone in the borough can apply", "nobody else can apply"),
                ],
            ),
            (
                1,
                "Fruit trees were planted along the eastern wall in 2004, but the plan for a pond "
                "was dropped after a safety review.",
                "Fruit trees went in along the east wall in 2004; a pond was planned but scrapped "
                "after a safety review.",
                [
                    ("negation", "scrapped", "dug"),
                    ("negation", "east wall", "west wall"),
                    ("date", "in 2004", "in 2014"),
                ],
            ),
            (
                2,
                "In 2019 a fire destroyed the tool shed and the greenhouse, and the garden closed "
                "for five months.",
                "A fire in 2019 burnt down the shed and the greenhouse, and the garden was shut for "
                "five months.",
                [("date", "in 2019", "in 2017"), ("number", "five months", "two years")],
            ),
            (
                2,
                "A crowdfunding campaign led by Samir Qureshi raised 14,200 pounds from 611 donors, "
                "enough to rebuild both in brick.",
                "Samir Qureshi ran a crowdfunder that brought in 14,200 pounds from 611 people, which "
                "paid to rebuild both in brick.",
                [
                    ("entity", "Samir Qureshi", "Doreen Abernathy"),
                    ("number", "14,200", "41,200"),
                    ("number", "611 people", "161 people"),
                    ("entity", "in brick", "in timber"),
                ],
            ),
            (
                2,
                "The garden reopened on 6 June 2020 with a ramp and two raised beds at wheelchair "
                "height.",
                "It reopened on 6 June 2020, now with a ramp and two wheelchair-height beds.",
                [
                    ("date", "6 June 2020", "6 July 2020"),
                    ("number", "two wheelchair", "ten wheelchair"),
                ],
            ),
            (
                2,
                "The local primary school, St Aidan's, has used four beds for lessons since 2021.",
                "St Aidan's, the primary school nearby, has had four beds for lessons since 2021.",
                [("entity", "St Aidan's", "St Cuthbert's"), ("date", "since 2021", "since 2015")],
            ),
            (
                2,
                "The council's 25-year promise expired in 2023, and the garden is now protected as "
                "an Asset of Community Value, which gives the association six months to bid if the "
                "land is ever sold.",
                "Since the council's promise ran out in 2023, the garden has been listed as an Asset "
                "of Community Value, so if the land is sold the association gets six months to bid.",
                [
                    ("number", "six months", "six weeks"),
                    ("date", "in 2023", "in 2028"),
                    ("entity", "Asset of Community Value", "Site of Special Scientific Interest"),
                ],
            ),
            (
                2,
                "The annual harvest supper is held on the last Saturday of September.",
                "Every year there's a harvest supper on the last Saturday in September.",
                [("date", "Saturday", "Sunday"), ("date", "September", "October")],
            ),
        ],
        "extras": [
            "The garden won a regional Britain in Bloom award in 2008.",
            "Honey from the garden's two beehives is sold at the harvest supper.",
            "Dogs are not allowed inside the garden gates.",
            "Doreen Abernathy's daughter became chair of the committee in 2015.",
        ],
        "clauses": [
            (3, ", lined with clay dug from the canal"),
            (5, ", along with peat compost"),
            (14, ", and the mayor cut the ribbon"),
            (7, " that is still in use today"),
        ],
    },
    {
        "name": "mortgage_key_facts",
        "split": "test3",
        "chunks": [
            "This offer is made by Amberlea Building Society to Mr Tobias Wren and Ms Ines Caldera "
            "for a repayment mortgage of 236,000 pounds on 14 Foxglove Lane, Carrowby, valued at "
            "295,000 pounds. The loan is repaid over 30 years in 360 monthly payments. For the "
            "first 2 years the interest rate is fixed at 4.39 percent, and the monthly payment is "
            "1,180.42 pounds. After the fixed period the loan moves to the society's Standard "
            "Variable Rate, currently 7.24 percent, which would make the payment 1,587.10 pounds. "
            "The loan-to-value ratio is 80 percent. This offer expires on 31 January 2026 unless "
            "the mortgage has completed by then.",
            "An arrangement fee of 999 pounds is payable, and it can be added to the loan, "
            "although interest is then charged on it. A valuation fee is not charged on this "
            "product. If the mortgage is repaid or switched during the fixed period, an early "
            "repayment charge applies: 3 percent of the amount repaid in the first year and 2 "
            "percent in the second. No early repayment charge applies after 31 March 2027. "
            "Overpayments of up to 10 percent of the balance each year can be made without charge. "
            "Payments are collected by direct debit on the 1st of each month, and the first "
            "payment includes interest from completion to the end of that month.",
            "The property must be insured against fire and flood from the day of completion, and "
            "the insurance may be arranged with any insurer. The society does not require life "
            "insurance, but recommends it. The mortgage is secured on the home, which may be "
            "repossessed if payments are not kept up. Letting the property needs the society's "
            "written consent, and consent is not given in the first 6 months. Complaints go first "
            "to the society's Customer Relations team in Harrogate and then, after 8 weeks, to the "
            "Financial Ombudsman Service. The offer was prepared on 12 November 2025 by the "
            "adviser Priyanka Desai.",
        ],
        "facts": [
            (
                0,
                "This offer is made by Amberlea Building Society to Mr Tobias Wren and Ms Ines "
                "Caldera for a repayment mortgage of 236,000 pounds on 14 Foxglove Lane, Carrowby, "
                "valued at 295,000 pounds.",
                "Amberlea Building Society is offering Tobias Wren and Ines Caldera a 236,000-pound "
                "repayment mortgage on 14 Foxglove Lane, Carrowby, which is valued at 295,000 "
                "pounds.",
                [
                    ("entity", "Amberlea Building Society", "Carrowby Building Society"),
                    ("number", "236,000-pound", "263,000-pound"),
                    ("entity", "Foxglove Lane", "Foxglove Road"),
                ],
            ),
            (
                0,
                "The loan is repaid over 30 years in 360 monthly payments.",
                "You pay it back over 30 years, which is 360 monthly payments.",
                [("number", "30 years", "25 years")],
            ),
            (
                0,
                "For the first 2 years the interest rate is fixed at 4.39 percent, and the monthly "
                "payment is 1,180.42 pounds.",
                "The rate is fixed at 4.39 percent for the first two years, so you pay 1,180.42 "
                "pounds a month.",
                [
                    ("number", "4.39 percent", "3.49 percent"),
                    ("number", "first two years", "first five years"),
                    ("number", "1,180.42", "1,810.42"),
                ],
            ),
            (
                0,
                "After the fixed period the loan moves to the society's Standard Variable Rate, "
                "currently 7.24 percent, which would make the payment 1,587.10 pounds.",
                "When the fix ends it goes onto the Standard Variable Rate, 7.24 percent at the "
                "moment, and the payment would go up to 1,587.10 pounds.",
                [
                    ("number", "7.24 percent", "4.72 percent"),
                    ("negation", "go up to", "go down to"),
                    ("entity", "the Standard Variable Rate", "the Bank of England base rate"),
                ],
            ),
            (
                0,
                "The loan-to-value ratio is 80 percent.",
                "It's an 80 percent loan-to-value mortgage.",
                [("number", "an 80 percent", "a 90 percent")],
            ),
            (
                0,
                "This offer expires on 31 January 2026 unless the mortgage has completed by then.",
                "If it hasn't completed by 31 January 2026, the offer runs out.",
                [
                    ("date", "31 January 2026", "31 March 2026"),
                    ("negation", "If it hasn't completed", "Even if it has completed"),
                ],
            ),
            (
                1,
                "An arrangement fee of 999 pounds is payable, and it can be added to the loan, "
                "although interest is then charged on it.",
                "There's a 999-pound arrangement fee, which you can add to the loan, but then you "
                "pay interest on it.",
                [
                    ("number", "999-pound", "1,499-pound"),
                    ("negation", "but then you pay interest on it", "and no interest is charged"),
                ],
            ),
            (
                1,
                "A valuation fee is not charged on this product.",
                "There's no valuation fee.",
                [("negation", "There's no valuation fee", "There's a valuation fee as well")],
            ),
            (
                1,
                "If the mortgage is repaid or switched during the fixed period, an early repayment "
                "charge applies: 3 percent of the amount repaid in the first year and 2 percent in "
                "the second.",
                "Pay it off or switch during the fix and there's an early repayment charge of 3 "
                "percent in year one and 2 percent in year two.",
                [
                    ("number", "3 percent", "5 percent"),
                    ("number", "2 percent in year two", "1 percent in year two"),
                    ("negation", "during the fix", "after the fix"),
                ],
            ),
            (
                1,
                "No early repayment charge applies after 31 March 2027.",
                "From 31 March 2027 there's no early repayment charge.",
                [
                    ("date", "31 March 2027", "31 March 2028"),
                    ("negation", "there's no early", "there's still an early"),
                ],
            ),
            (
                1,
                "Overpayments of up to 10 percent of the balance each year can be made without "
                "charge.",
                "You can overpay up to 10 percent of the balance a year free of charge.",
                [("number", "10 percent", "20 percent"), ("number", "a year", "a month")],
            ),
            (
                1,
                "Payments are collected by direct debit on the 1st of each month, and the first "
                "payment includes interest from completion to the end of that month.",
                "The payment goes out by direct debit on the 1st of the month, and your first one "
                "also covers interest from completion to the end of that month.",
                [
                    ("date", "the 1st of the month", "the 15th of the month"),
                    ("entity", "direct debit", "standing order"),
                ],
            ),
            (
                2,
                "The property must be insured against fire and flood from the day of completion, "
                "and the insurance may be arranged with any insurer.",
                "You need fire and flood insurance from completion day, and you can take it out "
                "with whichever insurer you like.",
                [
                    ("negation", "with whichever insurer you like", "only through the society"),
                    ("entity", "fire and flood", "fire and theft"),
                ],
            ),
            (
                2,
                "The society does not require life insurance, but recommends it.",
                "Life insurance isn't compulsory, though the society recommends it.",
                [("negation", "isn't compulsory", "is compulsory")],
            ),
            (
                2,
                "Letting the property needs the society's written consent, and consent is not "
                "given in the first 6 months.",
                "You can't let the property without the society's written consent, and it won't "
                "give consent in the first 6 months.",
                [
                    ("number", "6 months", "3 months"),
                    (
                        "negation",
                        "You can't let the property without",
                        "You can let the property without",
                    ),
                ],
            ),
            (
                2,
                "Complaints go first to the society's Customer Relations team in Harrogate and "
                "then, after 8 weeks, to the Financial Ombudsman Service.",
                "Complain to the Customer Relations team in Harrogate first; after 8 weeks you can "
                "take it to the Financial Ombudsman Service.",
                [("entity", "Harrogate", "Leeds"), ("number", "8 weeks", "12 weeks")],
            ),
            (
                2,
                "The offer was prepared on 12 November 2025 by the adviser Priyanka Desai.",
                "Priyanka Desai, the adviser, drew up the offer on 12 November 2025.",
                [
                    ("date", "12 November 2025", "21 November 2025"),
                    ("entity", "Priyanka Desai", "Ines Caldera"),
                ],
            ),
        ],
        "extras": [
            "The arrangement fee is refunded if the mortgage does not complete.",
            "A cashback of 500 pounds is paid on completion.",
            "At the end of the fixed period you can take a new fixed rate without paying a fee.",
            "Payment holidays of up to 3 months are allowed once during the term.",
        ],
        "clauses": [
            (4, ", which is the most the society lends on a first home"),
            (10, " as long as you are not in arrears"),
            (13, ", and it offers a 10 percent discount on its own policy"),
            (16, " after a phone interview with both applicants"),
        ],
    },
    {
        "name": "knee_discharge_leaflet",
        "split": "test3",
        "chunks": [
            "You have had a total knee replacement on Orchard Ward at Wendmere General Hospital. "
            "Most patients go home 2 or 3 days after the operation. Take the blood-thinning "
            "injection, enoxaparin, once a day for 14 days after surgery to lower the risk of a "
            "clot; a district nurse will visit if you cannot inject yourself. Take paracetamol "
            "every 6 hours and no more than 4 doses in 24 hours. Do not take ibuprofen unless your "
            "surgeon has told you it is safe, because it can affect healing. Keep the dressing dry "
            "and do not remove it; it will be changed at your wound check 10 to 14 days after "
            "surgery at the Fernside Clinic.",
            "Use the walking frame for the first week and then move on to two crutches. Do the "
            "exercises on the yellow sheet three times a day, aiming to bend the knee to 90 "
            "degrees by your 6-week review. From 1 September 2025 the exercises are also shown in "
            "a video on the hospital website. Put an ice pack wrapped in a towel on the knee for 20 "
            "minutes at a time, never directly on the skin. Do not kneel on the operated knee for "
            "at least 12 weeks. You must not drive for 6 weeks, and only after that if you can do "
            "an emergency stop. Showering is allowed once the wound is dry, but do not soak in a "
            "bath or swim until the wound has fully healed.",
            "Call the ward on 01632 960 418 at any time, day or night, if the wound becomes red, "
            "hot or leaks fluid, or if you have a temperature above 38 degrees. Go to the emergency "
            "department or call 999 if you have chest pain or sudden shortness of breath, as these "
            "can be signs of a clot in the lung. Swelling of the knee and ankle is normal for up "
            "to 3 months. Your follow-up appointment with the surgeon, Mr Alistair Penhaligon, is 6 "
            "weeks after the operation. Physiotherapy sessions at the Fernside Clinic start in the "
            "second week and are held on Tuesdays and Fridays. This leaflet was reviewed in April "
            "2025.",
        ],
        "facts": [
            (
                0,
                "Most patients go home 2 or 3 days after the operation.",
                "Usually people are discharged two or three days after surgery.",
                [("number", "two or three days", "five or six days")],
            ),
            (
                0,
                "Take the blood-thinning injection, enoxaparin, once a day for 14 days after "
                "surgery to lower the risk of a clot; a district nurse will visit if you cannot "
                "inject yourself.",
                "You inject the blood thinner, enoxaparin, once a day for 14 days to cut the risk of "
                "a clot, and a district nurse comes round if you can't do it yourself.",
                [
                    ("number", "14 days", "28 days"),
                    ("number", "once a day", "twice a day"),
                    ("entity", "enoxaparin", "warfarin"),
                    ("entity", "a district nurse", "your GP"),
                ],
            ),
            (
                0,
                "Take paracetamol every 6 hours and no more than 4 doses in 24 hours.",
                "Paracetamol is every 6 hours, 4 doses a day at most.",
                [("number", "every 6 hours", "every 4 hours"), ("negation", "at most", "at least")],
            ),
            (
                0,
                "Do not take ibuprofen unless your surgeon has told you it is safe, because it can "
                "affect healing.",
                "Don't take ibuprofen unless the surgeon says it's OK, as it can slow healing.",
                [
                    (
                        "negation",
                        "Don't take ibuprofen unless the surgeon says it's OK",
                        "You can take ibuprofen without asking the surgeon",
                    ),
                    ("entity", "ibuprofen", "codeine"),
                ],
            ),
            (
                0,
                "Keep the dressing dry and do not remove it; it will be changed at your wound "
                "check 10 to 14 days after surgery at the Fernside Clinic.",
                "Leave the dressing on and keep it dry until your wound check at the Fernside "
                "Clinic 10 to 14 days after the operation, where it gets changed.",
                [
                    ("negation", "Leave the dressing on", "Take the dressing off"),
                    ("number", "10 to 14 days", "3 to 4 days"),
                    ("entity", "Fernside Clinic", "Wendmere Health Centre"),
                ],
            ),
            (
                1,
                "Use the walking frame for the first week and then move on to two crutches.",
                "You'll use a frame for the first week, then two crutches.",
                [
                    ("number", "first week", "first month"),
                    ("number", "two crutches", "one crutch"),
                ],
            ),
            (
                1,
                "Do the exercises on the yellow sheet three times a day, aiming to bend the knee "
                "to 90 degrees by your 6-week review.",
                "Do the yellow-sheet exercises three times a day, with the aim of getting the knee "
                "to bend 90 degrees by the 6-week review.",
                [
                    ("number", "three times a day", "once a day"),
                    ("number", "90 degrees", "120 degrees"),
                    ("entity", "yellow-sheet", "blue-sheet"),
                ],
            ),
            (
                1,
                "From 1 September 2025 the exercises are also shown in a video on the hospital "
                "website.",
                "Since 1 September 2025 there's been a video of the exercises on the hospital's "
                "website as well.",
                [
                    ("date", "1 September 2025", "1 September 2024"),
                    ("entity", "the hospital's website", "the NHS app"),
                ],
            ),
            (
                1,
                "Put an ice pack wrapped in a towel on the knee for 20 minutes at a time, never "
                "directly on the skin.",
                "Ice it for 20 minutes at a time with the pack wrapped in a towel, not straight on "
                "the skin.",
                [
                    ("number", "20 minutes", "2 hours"),
                    ("negation", "not straight on the skin", "or straight on the skin"),
                ],
            ),
            (
                1,
                "Do not kneel on the operated knee for at least 12 weeks.",
                "No kneeling on the new knee for 12 weeks or more.",
                [
                    ("number", "12 weeks", "2 weeks"),
                    ("negation", "No kneeling on the new knee", "Try kneeling on the new knee"),
                ],
            ),
            (
                1,
                "You must not drive for 6 weeks, and only after that if you can do an emergency "
                "stop.",
                "No driving for 6 weeks, and after that only if you can manage an emergency stop.",
                [
                    ("number", "6 weeks", "2 weeks"),
                    (
                        "negation",
                        "after that only if you can manage an emergency stop",
                        "after that whenever you feel ready",
                    ),
                ],
            ),
            (
                1,
                "Showering is allowed once the wound is dry, but do not soak in a bath or swim "
                "until the wound has fully healed.",
                "You can shower when the wound is dry, but no baths or swimming until it's "
                "completely healed.",
                [
                    (
                        "negation",
                        "but no baths or swimming until",
                        "and baths or swimming are fine before",
                    ),
                ],
            ),
            (
                2,
                "Call the ward on 01632 960 418 at any time, day or night, if the wound becomes "
                "red, hot or leaks fluid, or if you have a temperature above 38 degrees.",
                "Ring the ward on 01632 960 418, any time of day or night, if the wound goes red or "
                "hot or starts leaking, or your temperature goes over 38 degrees.",
                [
                    ("number", "38 degrees", "40 degrees"),
                    ("negation", "any time of day or night", "in office hours only"),
                    ("entity", "Ring the ward", "Ring your GP"),
                ],
            ),
            (
                2,
                "Go to the emergency department or call 999 if you have chest pain or sudden "
                "shortness of breath, as these can be signs of a clot in the lung.",
                "Chest pain or suddenly being short of breath can mean a clot in the lung, so go to "
                "A&E or call 999.",
                [
                    ("entity", "a clot in the lung", "an infection in the knee"),
                    (
                        "negation",
                        "so go to A&E or call 999",
                        "but it can wait until your follow-up",
                    ),
                ],
            ),
            (
                2,
                "Swelling of the knee and ankle is normal for up to 3 months.",
                "It's normal for the knee and ankle to be swollen for as long as 3 months.",
                [("number", "3 months", "3 weeks"), ("negation", "It's normal", "It's not normal")],
            ),
            (
                2,
                "Your follow-up appointment with the surgeon, Mr Alistair Penhaligon, is 6 weeks "
                "after the operation.",
                "You see the surgeon, Mr Penhaligon, for a follow-up 6 weeks after the operation.",
                [("entity", "Penhaligon", "Trevelyan"), ("number", "6 weeks", "6 months")],
            ),
            (
                2,
                "Physiotherapy sessions at the Fernside Clinic start in the second week and are "
                "held on Tuesdays and Fridays.",
                "Physio at the Fernside Clinic begins in week two, on Tuesdays and Fridays.",
                [
                    ("date", "Tuesdays and Fridays", "Mondays and Thursdays"),
                    ("date", "and Fridays", "and Saturdays"),
                    ("number", "week two", "week six"),
                ],
            ),
            (
                2,
                "This leaflet was reviewed in April 2025.",
                "The leaflet was last reviewed in April 2025.",
                [("date", "April 2025", "April 2022")],
            ),
        ],
        "extras": [
            "Most patients can go back to office work after 3 weeks.",
            "Compression stockings must be worn day and night for 6 weeks.",
            "A physiotherapist visits you at home once before your first clinic session.",
            "Hospital transport can be booked for the wound check.",
        ],
        "clauses": [
            (0, ", once they can manage a flight of stairs"),
            (8, ", four times a day"),
            (15, ", and you'll have an X-ray that day"),
            (17, " by the hospital's patient panel"),
        ],
    },
    {
        "name": "board_game_rulebook",
        "split": "test3",
        "chunks": [
            "Saltmarsh Traders is a game for 2 to 5 players aged 10 and up, and a game lasts about "
            "75 minutes. Each player starts with 3 barges, 12 silver coins and one warehouse tile "
            "placed on their home harbour. The youngest player goes first, and play continues "
            "clockwise. On your turn you take exactly two actions from this list: sail, trade, "
            "build or hire. You may take the same action twice, except build, which may be taken "
            "only once per turn. The game was designed by Ottilie Ferrand and first published by "
            "Brackwater Games in 2019.",
            "Sailing moves one barge up to 4 spaces along the canal lines; a barge cannot pass "
            "through a space occupied by another player's barge unless it pays that player 1 coin. "
            "When you trade at a market, you may sell up to 3 goods of one colour. Salt always "
            "sells for 2 coins, while the price of spice, wool and amber follows the market track. "
            "Building a warehouse costs 6 coins and gives 2 victory points immediately. Hiring a "
            "boatman costs 3 coins, and no player may have more than 4 boatmen. During a storm, "
            "which is triggered when the sixth storm card is drawn, no barge may sail on the outer "
            "canals until the end of the round.",
            "The game ends at the end of the round in which any player builds their fifth "
            "warehouse, or when the goods bag is empty. Players then score 1 point for every 3 "
            "coins, and 3 points for each set of four different goods. The player with the most "
            "points wins; in a tie, the player with more warehouses wins, and if still tied, the "
            "victory is shared. In the 2-player game, remove the amber goods and the Eastmoor "
            "board section before setting up. The Flood Tide expansion, released on 14 September "
            "2022, adds a sixth player and a ferry that moves every round. A second edition with a "
            "revised market track was published in March 2024.",
        ],
        "facts": [
            (
                0,
                "Saltmarsh Traders is a game for 2 to 5 players aged 10 and up, and a game lasts "
                "about 75 minutes.",
                "It's for 2-5 players aged 10 or over and takes roughly 75 minutes.",
                [
                    ("number", "2-5 players", "2-6 players"),
                    ("number", "roughly 75 minutes", "roughly three hours"),
                    ("negation", "aged 10 or over", "aged 10 or under"),
                ],
            ),
            (
                0,
                "Each player starts with 3 barges, 12 silver coins and one warehouse tile placed "
                "on their home harbour.",
                "Everyone begins with 3 barges, 12 silver coins and a warehouse tile on their home "
                "harbour.",
                [
                    ("number", "12 silver coins", "20 silver coins"),
                    ("number", "3 barges", "2 barges"),
                    ("entity", "silver coins", "gold coins"),
                ],
            ),
            (
                0,
                "The youngest player goes first, and play continues clockwise.",
                "The youngest player starts and play goes clockwise.",
                [("negation", "youngest", "oldest"), ("negation", "clockwise", "anticlockwise")],
            ),
            (
                0,
                "On your turn you take exactly two actions from this list: sail, trade, build or "
                "hire.",
                "Each turn you get exactly two actions, choosing from sail, trade, build or hire.",
                [
                    ("number", "two actions", "three actions"),
                    ("negation", "exactly two actions", "up to two actions"),
                ],
            ),
            (
                0,
                "You may take the same action twice, except build, which may be taken only once "
                "per turn.",
                "You can do the same action twice in a turn, but not build, which is once per turn.",
                [("negation", "but not build, which is once per turn", "building included")],
            ),
            (
                0,
                "The game was designed by Ottilie Ferrand and first published by Brackwater Games "
                "in 2019.",
                "Ottilie Ferrand designed it, and Brackwater Games first brought it out in 2019.",
                [
                    ("entity", "Ottilie Ferrand", "Ottilie Marchetti"),
                    ("entity", "Brackwater Games", "Saltmarsh Press"),
                    ("date", "in 2019", "in 2016"),
                ],
            ),
            (
                1,
                "Sailing moves one barge up to 4 spaces along the canal lines; a barge cannot pass "
                "through a space occupied by another player's barge unless it pays that player 1 "
                "coin.",
                "A sail action moves one barge up to 4 spaces along the canals, and you can only go "
                "through a space with someone else's barge on it by paying them 1 coin.",
                [
                    ("number", "4 spaces", "6 spaces"),
                    (
                        "negation",
                        "you can only go through a space with someone else's barge on it by paying "
                        "them 1 coin",
                        "you can go through spaces with other barges on them for free",
                    ),
                    ("number", "1 coin", "2 coins"),
                ],
            ),
            (
                1,
                "When you trade at a market, you may sell up to 3 goods of one colour.",
                "Trading at a market lets you sell as many as 3 goods of a single colour.",
                [
                    ("number", "3 goods", "5 goods"),
                    ("negation", "of a single colour", "in any mix of colours"),
                ],
            ),
            (
                1,
                "Salt always sells for 2 coins, while the price of spice, wool and amber follows "
                "the market track.",
                "Salt is always 2 coins; spice, wool and amber go by the market track.",
                [("number", "2 coins", "3 coins"), ("entity", "Salt is", "Amber is")],
            ),
            (
                1,
                "Building a warehouse costs 6 coins and gives 2 victory points immediately.",
                "A warehouse costs 6 coins to build and is worth 2 victory points straight away.",
                [
                    ("number", "6 coins", "8 coins"),
                    ("number", "2 victory points", "3 victory points"),
                    ("negation", "straight away", "only at the end of the game"),
                ],
            ),
            (
                1,
                "Hiring a boatman costs 3 coins, and no player may have more than 4 boatmen.",
                "A boatman costs 3 coins to hire, and you can't have more than 4.",
                [
                    ("number", "more than 4", "more than 7"),
                    ("negation", "you can't have more than 4", "there's no limit on how many"),
                ],
            ),
            (
                1,
                "During a storm, which is triggered when the sixth storm card is drawn, no barge "
                "may sail on the outer canals until the end of the round.",
                "Drawing the sixth storm card sets off a storm, and then nobody can sail on the "
                "outer canals until the round ends.",
                [
                    ("number", "sixth storm card", "third storm card"),
                    ("negation", "outer canals", "inner canals"),
                ],
            ),
            (
                2,
                "The game ends at the end of the round in which any player builds their fifth "
                "warehouse, or when the goods bag is empty.",
                "Once someone builds their fifth warehouse, the game finishes at the end of that "
                "round; it also ends if the goods bag runs out.",
                [
                    ("number", "fifth warehouse", "fourth warehouse"),
                    ("negation", "at the end of that round", "right away, mid-round"),
                ],
            ),
            (
                2,
                "Players then score 1 point for every 3 coins, and 3 points for each set of four "
                "different goods.",
                "Then you get a point per 3 coins and 3 points for every set of four different "
                "goods.",
                [
                    ("number", "a point per 3 coins", "a point per coin"),
                    ("number", "four different goods", "three different goods"),
                ],
            ),
            (
                2,
                "The player with the most points wins; in a tie, the player with more warehouses "
                "wins, and if still tied, the victory is shared.",
                "Most points wins; ties go to whoever has more warehouses, and if it's still a tie, "
                "they share the win.",
                [
                    ("negation", "Most points wins", "Fewest points wins"),
                    ("entity", "more warehouses", "more boatmen"),
                ],
            ),
            (
                2,
                "In the 2-player game, remove the amber goods and the Eastmoor board section "
                "before setting up.",
                "For 2 players, take out the amber goods and the Eastmoor section of the board "
                "before you set up.",
                [
                    ("entity", "amber goods", "wool goods"),
                    ("entity", "Eastmoor", "Westmoor"),
                    ("number", "For 2 players", "For 3 players"),
                ],
            ),
            (
                2,
                "The Flood Tide expansion, released on 14 September 2022, adds a sixth player and a "
                "ferry that moves every round.",
                "Flood Tide, the expansion that came out on 14 September 2022, adds room for a sixth "
                "player plus a ferry that moves each round.",
                [
                    ("date", "14 September 2022", "14 September 2020"),
                    ("date", "September", "November"),
                    ("entity", "Flood Tide", "High Water"),
                    ("number", "sixth player", "seventh player"),
                ],
            ),
            (
                2,
                "A second edition with a revised market track was published in March 2024.",
                "In March 2024 a second edition came out with a revised market track.",
                [
                    ("date", "March 2024", "March 2023"),
                    ("number", "second edition", "third edition"),
                ],
            ),
        ],
        "extras": [
            "Each player also draws two secret objective cards at the start.",
            "The storm deck has ten cards in total.",
            "A solo mode with an automated rival is included in the box.",
            "Players may swap coins with each other at any time.",
        ],
        "clauses": [
            (3, ", plus a free move before the first one"),
            (10, ", and each boatman adds one space to every sail move"),
            (15, ", and each player starts with 15 coins instead"),
            (16, ", and it costs 25 pounds"),
        ],
    },
]
