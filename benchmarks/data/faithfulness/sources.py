"""Hand-written source passages of the broad faithfulness set, with faithful sentences and edits.

Every passage, name, figure and date here was written for this set (fictional organisations and
places; any likeness is accidental). `build.py` turns it into dev.jsonl / test.jsonl.

Per domain:
- `chunks`: 2-4 passages of 400-1,000 characters, as a retriever would return them;
- `facts`: (chunk index, a sentence copied verbatim from that chunk (its evidence span), a faithful
  paraphrase, edits); an edit is (kind, old, new) with kind in number / entity / date / negation
  (negation covers antonyms); `old` is replaced by `new` in the paraphrase (or, when the paraphrase
  lacks it, in the verbatim sentence), which makes the sentence contradict its evidence span;
- `extras`: on-topic sentences the chunks do not support (for partially supported answers);
- `clauses`: (fact index, clause): an unsupported clause appended to that fact's paraphrase.
"""

DOMAINS = [
    {
        "name": "shop_refund",
        "split": "dev",
        "chunks": [
            "Northwind Outfitters accepts returns of unworn clothing within 30 days of delivery. "
            "Items must be returned with their original tags attached. Swimwear, earrings and gift "
            "cards cannot be returned for hygiene or security reasons. Sale items marked as final "
            "sale are not eligible for a refund or an exchange. To start a return, customers log in "
            "to their account and print a prepaid label from the Orders page.",
            "Refunds are issued to the original payment method within 5 business days after the "
            "warehouse in Leeds inspects the parcel. Customers who paid with PayPal usually see the "
            "money within 48 hours of approval. A return shipping fee of 3.95 pounds is deducted "
            "from each refund unless the item arrived damaged or was sent in error. Exchanges for a "
            "different size are free and are shipped by Royal Mail Tracked 48.",
            "During the holiday season the return window is extended: anything bought between 15 "
            "November and 24 December can be returned until 31 January of the following year. "
            "Orders shipped outside the United Kingdom are handled by our partner Parcelwise, and "
            "international customers pay their own return postage. Since 1 March 2024, store credit "
            "is offered as an alternative to a refund and comes with a 10 percent bonus.",
        ],
        "facts": [
            (
                0,
                "Northwind Outfitters accepts returns of unworn clothing within 30 days of delivery.",
                "You can return clothes you have not worn for up to 30 days after they are delivered.",
                [("number", "30", "60"), ("negation", "have not worn", "have already worn")],
            ),
            (
                0,
                "Items must be returned with their original tags attached.",
                "Returned items need to still have their original tags on.",
                [("negation", "need to still have", "do not need to have")],
            ),
            (
                0,
                "Sale items marked as final sale are not eligible for a refund or an exchange.",
                "Anything marked final sale cannot be refunded or exchanged.",
                [("negation", "cannot be refunded", "can be refunded")],
            ),
            (
                1,
                "Refunds are issued to the original payment method within 5 business days after the "
                "warehouse in Leeds inspects the parcel.",
                "Once the Leeds warehouse has inspected your parcel, the refund goes back to your "
                "original payment method within 5 business days.",
                [("number", "5 business days", "10 business days"), ("entity", "Leeds", "Bristol")],
            ),
            (
                1,
                "Customers who paid with PayPal usually see the money within 48 hours of approval.",
                "If you paid through PayPal, the money normally arrives within 48 hours of approval.",
                [("number", "48 hours", "72 hours")],
            ),
            (
                1,
                "A return shipping fee of 3.95 pounds is deducted from each refund unless the item "
                "arrived damaged or was sent in error.",
                "Each refund has 3.95 pounds taken off for return shipping, except when the item "
                "arrived damaged or was sent by mistake.",
                [("number", "3.95", "4.95"), ("negation", "except when", "even when")],
            ),
            (
                1,
                "Exchanges for a different size are free and are shipped by Royal Mail Tracked 48.",
                "Swapping for another size costs nothing and goes out with Royal Mail Tracked 48.",
                [("entity", "Royal Mail", "DPD"), ("negation", "costs nothing", "costs extra")],
            ),
            (
                2,
                "During the holiday season the return window is extended: anything bought between 15 "
                "November and 24 December can be returned until 31 January of the following year.",
                "Purchases made between 15 November and 24 December can be returned until 31 January "
                "of the next year.",
                [("date", "31 January", "28 February"), ("date", "15 November", "1 November")],
            ),
            (
                2,
                "Orders shipped outside the United Kingdom are handled by our partner Parcelwise, and "
                "international customers pay their own return postage.",
                "Returns from outside the UK go through the partner Parcelwise, and international "
                "customers pay the return postage themselves.",
                [
                    ("entity", "Parcelwise", "ShipBack"),
                    ("negation", "pay the return postage themselves", "pay no return postage"),
                ],
            ),
            (
                2,
                "Since 1 March 2024, store credit is offered as an alternative to a refund and comes "
                "with a 10 percent bonus.",
                "Since 1 March 2024 you can take store credit instead of a refund, with a 10 percent "
                "bonus.",
                [("date", "1 March 2024", "1 March 2023"), ("number", "10 percent", "15 percent")],
            ),
        ],
        "extras": [
            "Northwind Outfitters also offers free alterations on all trousers.",
            "Returns can be dropped off at any Northwind store in Scotland.",
            "Customers who return more than five items a year lose their loyalty points.",
        ],
        "clauses": [
            (3, ", and you get an email with a discount code for your next order"),
            (6, ", and the replacement arrives the next working day"),
            (0, " as long as you include the original receipt"),
        ],
    },
    {
        "name": "espresso_manual",
        "split": "dev",
        "chunks": [
            "Before first use, rinse the water tank of the Brio Duo and fill it with fresh cold "
            "water up to the MAX line, which holds 1.8 litres. Never fill the tank with sparkling "
            "water or milk. Switch the machine on with the power button on the right side; the ring "
            "light blinks white while the boiler heats up, which takes about 25 seconds. When the "
            "light stays steady, the machine is ready to brew. "
            "The cup warmer on top heats up together with the boiler.",
            "For a single espresso, use 8 grams of finely ground coffee and tamp it with a pressure "
            "of about 15 kilograms. The pump delivers 15 bar, and a good shot of 30 millilitres "
            "should take between 25 and 30 seconds. If the shot runs faster than 20 seconds, grind "
            "finer; if it drips slowly, grind coarser. Do not remove the portafilter while the pump "
            "is running, because hot water under pressure can escape. "
            "A double shot uses 16 grams of coffee in the larger filter basket.",
            "Descale the machine every 3 months, or every 6 weeks in hard-water areas, using the "
            "Brio descaling liquid. The orange descale light turns on automatically after 200 "
            "brewing cycles. A descaling run takes around 40 minutes and must not be interrupted. "
            "The warranty, which lasts 2 years from the date of purchase, does not cover damage "
            "caused by limescale. This manual applies to models sold after 1 September 2022.",
        ],
        "facts": [
            (
                0,
                "Never fill the tank with sparkling water or milk.",
                "The tank should never be filled with milk or sparkling water.",
                [("negation", "should never be filled", "can also be filled")],
            ),
            (
                0,
                "Switch the machine on with the power button on the right side; the ring light "
                "blinks white while the boiler heats up, which takes about 25 seconds.",
                "The power button is on the right side, and the boiler takes about 25 seconds to heat "
                "up while the ring light blinks white.",
                [("negation", "right side", "left side"), ("number", "25 seconds", "90 seconds")],
            ),
            (
                0,
                "Before first use, rinse the water tank of the Brio Duo and fill it with fresh cold "
                "water up to the MAX line, which holds 1.8 litres.",
                "Before using the Brio Duo for the first time, rinse its tank and fill it with fresh "
                "cold water to the MAX line, which is 1.8 litres.",
                [("number", "1.8", "2.5"), ("entity", "Brio Duo", "Brio Solo")],
            ),
            (
                1,
                "For a single espresso, use 8 grams of finely ground coffee and tamp it with a "
                "pressure of about 15 kilograms.",
                "A single espresso takes 8 grams of finely ground coffee, tamped with about 15 "
                "kilograms of pressure.",
                [("number", "8 grams", "12 grams")],
            ),
            (
                1,
                "The pump delivers 15 bar, and a good shot of 30 millilitres should take between 25 "
                "and 30 seconds.",
                "With the 15 bar pump, a good 30 millilitre shot should take 25 to 30 seconds.",
                [("number", "15 bar", "9 bar")],
            ),
            (
                1,
                "If the shot runs faster than 20 seconds, grind finer; if it drips slowly, grind "
                "coarser.",
                "When a shot runs in under 20 seconds, use a finer grind, and when it drips slowly, "
                "use a coarser one.",
                [
                    (
                        "negation",
                        "use a finer grind, and when it drips slowly, use a coarser one",
                        "use a coarser grind, and when it drips slowly, use a finer one",
                    )
                ],
            ),
            (
                1,
                "Do not remove the portafilter while the pump is running, because hot water under "
                "pressure can escape.",
                "Removing the portafilter while the pump runs is unsafe, since pressurised hot water "
                "can escape.",
                [("negation", "is unsafe", "is safe")],
            ),
            (
                2,
                "Descale the machine every 3 months, or every 6 weeks in hard-water areas, using the "
                "Brio descaling liquid.",
                "Descale it with Brio descaling liquid every 3 months, or every 6 weeks where the "
                "water is hard.",
                [
                    ("number", "every 3 months", "every 12 months"),
                    ("entity", "Brio descaling liquid", "white vinegar"),
                ],
            ),
            (
                2,
                "The orange descale light turns on automatically after 200 brewing cycles.",
                "After 200 brewing cycles the orange descale light comes on by itself.",
                [("number", "200", "500")],
            ),
            (
                2,
                "The warranty, which lasts 2 years from the date of purchase, does not cover damage "
                "caused by limescale.",
                "The 2-year warranty from the purchase date excludes limescale damage.",
                [("negation", "excludes", "covers"), ("number", "2-year", "5-year")],
            ),
            (
                2,
                "This manual applies to models sold after 1 September 2022.",
                "The manual covers models sold after 1 September 2022.",
                [("date", "1 September 2022", "1 September 2020"), ("negation", "after", "before")],
            ),
        ],
        "extras": [
            "The Brio Duo can also froth plant-based milk with its steam wand.",
            "The drip tray is dishwasher safe.",
            "Brio offers a free replacement grinder during the first year.",
        ],
        "clauses": [
            (3, ", which is roughly one rounded tablespoon"),
            (8, " and the machine stops brewing until you descale it"),
            (4, ", and the crema should be dark brown"),
        ],
    },
    {
        "name": "vaccine_leaflet",
        "split": "test",
        "chunks": [
            "Fluvantrix is an inactivated influenza vaccine for adults and children from 6 months "
            "of age. It protects against four strains of the flu virus chosen each year by the "
            "World Health Organization. The vaccine cannot give you the flu, because it contains no "
            "live virus. Each dose of 0.5 millilitres is injected into the muscle of the upper arm, "
            "or into the thigh in infants. "
            "The vaccine is supplied in pre-filled glass syringes with a fixed needle.",
            "Children under 9 years who have never had a flu vaccine need 2 doses given at least 4 "
            "weeks apart. Everyone else needs a single dose each autumn. Do not use Fluvantrix if "
            "you have had a severe allergic reaction to eggs or to gentamicin. Tell your nurse if "
            "you have a fever above 38 degrees; the vaccination will then be postponed. "
            "You should stay in the clinic for 15 minutes after the injection so that staff can "
            "watch for allergic reactions. People with a weak immune system may have a weaker "
            "response to the vaccine.",
            "Common side effects, which affect more than 1 in 10 people, are soreness at the "
            "injection site, headache and tiredness; they usually disappear within 2 days. Store "
            "the syringes in a refrigerator between 2 and 8 degrees Celsius and do not freeze them. "
            "Fluvantrix is made by Corvane Biologics in Ghent, Belgium. This leaflet was last "
            "revised in July 2023. "
            "Rare side effects, seen in fewer than 1 in 1,000 people, include fainting and "
            "swollen glands.",
        ],
        "facts": [
            (
                0,
                "Fluvantrix is an inactivated influenza vaccine for adults and children from 6 "
                "months of age.",
                "Fluvantrix is an inactivated flu vaccine that can be given to adults and to children "
                "aged 6 months or older.",
                [("number", "6 months", "3 months")],
            ),
            (
                0,
                "It protects against four strains of the flu virus chosen each year by the World "
                "Health Organization.",
                "It covers four flu strains that the World Health Organization picks every year.",
                [
                    ("number", "four", "three"),
                    ("entity", "World Health Organization", "European Medicines Agency"),
                ],
            ),
            (
                0,
                "The vaccine cannot give you the flu, because it contains no live virus.",
                "Because it has no live virus in it, the vaccine cannot cause the flu.",
                [("negation", "cannot cause the flu", "can sometimes cause the flu")],
            ),
            (
                0,
                "Each dose of 0.5 millilitres is injected into the muscle of the upper arm, or into "
                "the thigh in infants.",
                "A dose is 0.5 millilitres, injected into the upper arm muscle or, for infants, the "
                "thigh.",
                [("number", "0.5", "1.0")],
            ),
            (
                1,
                "Children under 9 years who have never had a flu vaccine need 2 doses given at "
                "least 4 weeks apart.",
                "Children younger than 9 who have never been vaccinated against flu need 2 doses at "
                "least 4 weeks apart.",
                [("number", "4 weeks", "2 weeks")],
            ),
            (
                1,
                "Do not use Fluvantrix if you have had a severe allergic reaction to eggs or to "
                "gentamicin.",
                "People who have had a severe allergic reaction to eggs or gentamicin should not "
                "receive Fluvantrix.",
                [("negation", "should not receive", "can safely receive")],
            ),
            (
                1,
                "Tell your nurse if you have a fever above 38 degrees; the vaccination will then be "
                "postponed.",
                "If your fever is above 38 degrees, tell the nurse, because the vaccination will be "
                "postponed.",
                [
                    ("number", "38 degrees", "39 degrees"),
                    ("negation", "will be postponed", "will go ahead as planned"),
                ],
            ),
            (
                2,
                "Common side effects, which affect more than 1 in 10 people, are soreness at the "
                "injection site, headache and tiredness; they usually disappear within 2 days.",
                "More than 1 in 10 people get soreness where the injection was given, headache or "
                "tiredness, which usually go away within 2 days.",
                [("number", "2 days", "2 weeks")],
            ),
            (
                2,
                "Store the syringes in a refrigerator between 2 and 8 degrees Celsius and do not "
                "freeze them.",
                "Keep the syringes in the fridge at 2 to 8 degrees Celsius and never freeze them.",
                [
                    ("negation", "never freeze them", "freeze them if needed"),
                    ("number", "8 degrees", "12 degrees"),
                ],
            ),
            (
                2,
                "Fluvantrix is made by Corvane Biologics in Ghent, Belgium.",
                "The manufacturer of Fluvantrix is Corvane Biologics, based in Ghent, Belgium.",
                [("entity", "Corvane Biologics", "Helix Pharma"), ("entity", "Ghent", "Antwerp")],
            ),
            (
                2,
                "This leaflet was last revised in July 2023.",
                "The leaflet's last revision dates from July 2023.",
                [("date", "July 2023", "March 2021")],
            ),
        ],
        "extras": [
            "Fluvantrix also protects against COVID-19.",
            "Pregnant women should wait until after delivery to receive Fluvantrix.",
            "One dose gives protection for three full years.",
        ],
        "clauses": [
            (7, ", and about 1 in 50 people develop a rash"),
            (0, " and is available without a prescription"),
            (9, ", which has produced vaccines since 1952"),
        ],
    },
    {
        "name": "lighthouse_history",
        "split": "dev",
        "chunks": [
            "The Carrow Point Lighthouse stands on a granite headland at the mouth of the Tamsin "
            "estuary. It was designed by the engineer Margaret Elstree and first lit on 12 October "
            "1871, after three ships were wrecked on the nearby Skerry Rocks in a single winter. "
            "The tower is 34 metres tall and built of local granite blocks, painted with two red "
            "bands. "
            "A spiral staircase of 154 steps leads to the lantern room at the top.",
            "Its original light was a paraffin lamp magnified by a Fresnel lens made in Paris by "
            "the firm Barbier. The beam could be seen from 22 nautical miles away. In 1923 the lamp "
            "was replaced by an electric light, and a diesel generator was installed in the "
            "keepers' cottage. The lighthouse was never hit by lightning during the years it was "
            "staffed, thanks to a copper conductor fitted in 1880. "
            "The lens rotated on a bath of mercury and was driven by a clockwork motor.",
            "The last keeper, Thomas Penhale, left on 30 June 1988, when the light was automated "
            "and controlled from Harwich. The keepers' cottages were sold in 1995 and now house a "
            "small museum, open from April to October. The lighthouse itself is not open to "
            "visitors, but the museum shows the original Fresnel lens, which weighs 2.5 tonnes. "
            "The fog horn, installed in 1902, was switched off for good in 1991. Penhale had "
            "served at Carrow Point for 26 years.",
        ],
        "facts": [
            (
                0,
                "It was designed by the engineer Margaret Elstree and first lit on 12 October 1871, "
                "after three ships were wrecked on the nearby Skerry Rocks in a single winter.",
                "Engineer Margaret Elstree designed it, and it was first lit on 12 October 1871 after "
                "three ships were wrecked on the Skerry Rocks in one winter.",
                [
                    ("entity", "Margaret Elstree", "James Walker"),
                    ("date", "12 October 1871", "12 October 1881"),
                    ("number", "three ships", "five ships"),
                ],
            ),
            (
                0,
                "The tower is 34 metres tall and built of local granite blocks, painted with two red "
                "bands.",
                "The 34-metre tower is made of local granite and painted with two red bands.",
                [("number", "34-metre", "48-metre"), ("entity", "granite", "sandstone")],
            ),
            (
                0,
                "The Carrow Point Lighthouse stands on a granite headland at the mouth of the Tamsin "
                "estuary.",
                "Carrow Point Lighthouse sits on a granite headland where the Tamsin estuary meets the "
                "sea.",
                [("entity", "Tamsin", "Fowey")],
            ),
            (
                1,
                "Its original light was a paraffin lamp magnified by a Fresnel lens made in Paris by "
                "the firm Barbier.",
                "At first the light came from a paraffin lamp behind a Fresnel lens made by Barbier in "
                "Paris.",
                [("entity", "Paris", "London")],
            ),
            (
                1,
                "The beam could be seen from 22 nautical miles away.",
                "Its beam was visible from 22 nautical miles.",
                [("number", "22", "35")],
            ),
            (
                1,
                "In 1923 the lamp was replaced by an electric light, and a diesel generator was "
                "installed in the keepers' cottage.",
                "The lamp gave way to electric light in 1923, powered by a diesel generator in the "
                "keepers' cottage.",
                [("date", "1923", "1936")],
            ),
            (
                1,
                "The lighthouse was never hit by lightning during the years it was staffed, thanks "
                "to a copper conductor fitted in 1880.",
                "Thanks to a copper conductor fitted in 1880, lightning never struck the lighthouse "
                "while it was staffed.",
                [
                    ("negation", "lightning never struck", "lightning often struck"),
                    ("date", "1880", "1890"),
                ],
            ),
            (
                2,
                "The last keeper, Thomas Penhale, left on 30 June 1988, when the light was automated "
                "and controlled from Harwich.",
                "Thomas Penhale, the last keeper, left on 30 June 1988, when the light was automated "
                "and put under control from Harwich.",
                [
                    ("entity", "Thomas Penhale", "William Trevose"),
                    ("date", "30 June 1988", "30 June 1978"),
                    ("entity", "Harwich", "Plymouth"),
                ],
            ),
            (
                2,
                "The keepers' cottages were sold in 1995 and now house a small museum, open from "
                "April to October.",
                "Since being sold in 1995, the keepers' cottages have held a small museum that opens "
                "from April to October.",
                [("date", "1995", "2005"), ("date", "April to October", "May to September")],
            ),
            (
                2,
                "The lighthouse itself is not open to visitors, but the museum shows the original "
                "Fresnel lens, which weighs 2.5 tonnes.",
                "Visitors cannot enter the lighthouse, but the museum displays the original 2.5-tonne "
                "Fresnel lens.",
                [
                    ("negation", "Visitors cannot enter", "Visitors can climb"),
                    ("number", "2.5-tonne", "4-tonne"),
                ],
            ),
        ],
        "extras": [
            "The lighthouse appears on the back of a commemorative coin issued in 2001.",
            "Margaret Elstree also designed the pier at Tamsin harbour.",
            "The museum charges an entry fee of 4 pounds.",
        ],
        "clauses": [
            (4, ", further than any other light on the coast"),
            (9, ", which was restored in 2012"),
            (1, ", which are repainted every five years"),
        ],
    },
    {
        "name": "leave_policy",
        "split": "dev",
        "chunks": [
            "At Halden Systems, full-time employees receive 25 days of paid annual leave per "
            "calendar year, plus public holidays. Part-time staff receive leave in proportion to "
            "their contracted hours. Up to 5 unused days may be carried over into the next year, but "
            "they must be taken before 31 March or they are lost. Leave requests of more than two "
            "weeks need approval from a department head at least 30 days in advance.",
            "Employees who are ill must inform their line manager before 10:00 on the first day of "
            "absence. A doctor's note is required only when the sickness lasts longer than 7 "
            "calendar days. Sick days do not reduce the annual leave allowance. Staff who fall ill "
            "during a holiday can convert those days into sick leave if they send a medical "
            "certificate within 14 days of returning. "
            "Repeated short absences may lead to a meeting with occupational health.",
            "Birth parents are entitled to 20 weeks of parental leave on full pay, and partners to 6 "
            "weeks. Parental leave must start no later than 12 months after the birth or adoption. "
            "Since 1 January 2025, employees with 3 years of service may also take one unpaid "
            "sabbatical of up to 3 months. Requests for a sabbatical are decided by the HR "
            "director, Priya Raman. "
            "Adoptive parents have the same rights as birth parents. Unpaid leave of up to 5 days "
            "a year for family emergencies can be agreed with the line manager.",
        ],
        "facts": [
            (
                0,
                "At Halden Systems, full-time employees receive 25 days of paid annual leave per "
                "calendar year, plus public holidays.",
                "Full-time staff at Halden Systems get 25 days of paid annual leave a year on top of "
                "public holidays.",
                [("number", "25 days", "30 days"), ("entity", "Halden Systems", "Vantor Group")],
            ),
            (
                0,
                "Up to 5 unused days may be carried over into the next year, but they must be taken "
                "before 31 March or they are lost.",
                "You can carry up to 5 unused days into the next year, but you lose them if they are "
                "not taken before 31 March.",
                [("number", "up to 5", "up to 10"), ("date", "31 March", "30 June")],
            ),
            (
                0,
                "Part-time staff receive leave in proportion to their contracted hours.",
                "Part-time employees get leave in proportion to the hours in their contract.",
                [("negation", "in proportion to", "regardless of")],
            ),
            (
                0,
                "Leave requests of more than two weeks need approval from a department head at "
                "least 30 days in advance.",
                "Any leave longer than two weeks has to be approved by a department head at least 30 "
                "days beforehand.",
                [
                    ("number", "30 days", "14 days"),
                    ("entity", "a department head", "the HR director"),
                ],
            ),
            (
                1,
                "Employees who are ill must inform their line manager before 10:00 on the first day "
                "of absence.",
                "If you are ill, you must tell your line manager before 10:00 on your first day off.",
                [("number", "10:00", "12:00")],
            ),
            (
                1,
                "A doctor's note is required only when the sickness lasts longer than 7 calendar "
                "days.",
                "You only need a doctor's note if you are sick for more than 7 calendar days.",
                [("number", "7", "3")],
            ),
            (
                1,
                "Sick days do not reduce the annual leave allowance.",
                "Being off sick does not count against your annual leave.",
                [("negation", "does not count against", "counts against")],
            ),
            (
                1,
                "Staff who fall ill during a holiday can convert those days into sick leave if they "
                "send a medical certificate within 14 days of returning.",
                "If you get ill on holiday, those days can become sick leave when you send a medical "
                "certificate within 14 days of coming back.",
                [
                    ("number", "14 days", "30 days"),
                    ("negation", "can become sick leave when", "stay holiday even when"),
                ],
            ),
            (
                2,
                "Birth parents are entitled to 20 weeks of parental leave on full pay, and partners "
                "to 6 weeks.",
                "Birth parents get 20 weeks of fully paid parental leave and partners get 6 weeks.",
                [("number", "20 weeks", "16 weeks"), ("number", "6 weeks", "2 weeks")],
            ),
            (
                2,
                "Parental leave must start no later than 12 months after the birth or adoption.",
                "Parental leave has to begin within 12 months of the birth or adoption.",
                [("number", "12 months", "24 months")],
            ),
            (
                2,
                "Since 1 January 2025, employees with 3 years of service may also take one unpaid "
                "sabbatical of up to 3 months.",
                "From 1 January 2025, staff with 3 years of service can also take one unpaid "
                "sabbatical lasting up to 3 months.",
                [("date", "1 January 2025", "1 January 2024"), ("negation", "unpaid", "paid")],
            ),
            (
                2,
                "Requests for a sabbatical are decided by the HR director, Priya Raman.",
                "The HR director, Priya Raman, decides on sabbatical requests.",
                [("entity", "Priya Raman", "Daniel Okafor")],
            ),
        ],
        "extras": [
            "Employees can buy up to 5 extra days of leave through payroll.",
            "Halden Systems closes its offices between Christmas and New Year.",
            "Unused leave is paid out when an employee resigns.",
        ],
        "clauses": [
            (6, ", and sick pay is paid in full for the first 6 months"),
            (9, " and can be split into two blocks"),
            (0, ", rising by one day for every year of service"),
        ],
    },
    {
        "name": "microloan_sheet",
        "split": "test",
        "chunks": [
            "The Seedline Starter Loan is a micro-loan for owners of small businesses who have "
            "traded for at least 6 months. Loans range from 500 to 5,000 euros and are repaid in "
            "equal monthly instalments over 6 to 24 months. No collateral is required, but one "
            "guarantor must co-sign the agreement. Applicants must be at least 18 years old and "
            "live in Portugal. "
            "Seedline checks each applicant's business plan and bank statements for the last 6 "
            "months.",
            "The annual percentage rate is fixed at 9.4 percent for the whole term. A one-off "
            "arrangement fee of 2 percent of the loan amount is added to the first instalment. "
            "Early repayment is allowed at any time without a penalty. A missed instalment incurs a "
            "late fee of 15 euros, and after 3 missed instalments the loan is passed to a "
            "collection agency. "
            "Instalments are collected by direct debit on the 5th day of each month.",
            "Applications are submitted online and reviewed by a loan officer within 5 working "
            "days. Approved funds are paid into the applicant's business account within 48 hours "
            "of signing. Seedline Microfinance has been licensed by the Bank of Portugal since 14 "
            "May 2016 and is headquartered in Porto. The product sheet is valid for contracts "
            "signed until 31 December 2025. "
            "Applicants receive the decision by email and by text message.",
        ],
        "facts": [
            (
                0,
                "The Seedline Starter Loan is a micro-loan for owners of small businesses who have "
                "traded for at least 6 months.",
                "The Seedline Starter Loan is meant for small business owners who have been trading "
                "for 6 months or more.",
                [("number", "6 months", "12 months")],
            ),
            (
                0,
                "Loans range from 500 to 5,000 euros and are repaid in equal monthly instalments "
                "over 6 to 24 months.",
                "You can borrow between 500 and 5,000 euros and repay it in equal monthly instalments "
                "over 6 to 24 months.",
                [("number", "5,000", "10,000"), ("number", "24 months", "36 months")],
            ),
            (
                0,
                "No collateral is required, but one guarantor must co-sign the agreement.",
                "You do not need collateral, but one guarantor has to co-sign the agreement.",
                [("negation", "You do not need collateral", "You must provide collateral")],
            ),
            (
                0,
                "Applicants must be at least 18 years old and live in Portugal.",
                "Applicants have to be 18 or older and live in Portugal.",
                [("entity", "Portugal", "Spain"), ("number", "18", "21")],
            ),
            (
                1,
                "The annual percentage rate is fixed at 9.4 percent for the whole term.",
                "The APR stays fixed at 9.4 percent for the entire term.",
                [("number", "9.4", "7.9"), ("negation", "stays fixed", "is variable")],
            ),
            (
                1,
                "A one-off arrangement fee of 2 percent of the loan amount is added to the first "
                "instalment.",
                "A one-time arrangement fee of 2 percent of the loan is added to the first instalment.",
                [
                    ("number", "2 percent", "5 percent"),
                    ("negation", "first instalment", "last instalment"),
                ],
            ),
            (
                1,
                "Early repayment is allowed at any time without a penalty.",
                "You can repay early at any time with no penalty.",
                [("negation", "with no penalty", "but a penalty applies")],
            ),
            (
                1,
                "A missed instalment incurs a late fee of 15 euros, and after 3 missed instalments "
                "the loan is passed to a collection agency.",
                "Each missed instalment costs a 15 euro late fee, and after 3 missed instalments the "
                "loan goes to a collection agency.",
                [("number", "15 euro", "25 euro"), ("number", "after 3", "after 6")],
            ),
            (
                2,
                "Applications are submitted online and reviewed by a loan officer within 5 working "
                "days.",
                "You apply online and a loan officer reviews the application within 5 working days.",
                [("number", "5 working days", "10 working days")],
            ),
            (
                2,
                "Approved funds are paid into the applicant's business account within 48 hours of "
                "signing.",
                "Once approved and signed, the money reaches your business account within 48 hours.",
                [("number", "48 hours", "24 hours")],
            ),
            (
                2,
                "Seedline Microfinance has been licensed by the Bank of Portugal since 14 May 2016 "
                "and is headquartered in Porto.",
                "Seedline Microfinance is based in Porto and has held a Bank of Portugal licence since "
                "14 May 2016.",
                [("entity", "Porto", "Lisbon"), ("date", "14 May 2016", "14 May 2019")],
            ),
            (
                2,
                "The product sheet is valid for contracts signed until 31 December 2025.",
                "This product sheet applies to contracts signed up to 31 December 2025.",
                [("date", "31 December 2025", "30 June 2026")],
            ),
        ],
        "extras": [
            "Seedline also offers free bookkeeping training to every borrower.",
            "Borrowers who repay on time can apply for a second loan at a lower rate.",
            "The loan can also be used to pay personal debts.",
        ],
        "clauses": [
            (2, ", and the guarantor can be a family member"),
            (8, ", usually after a phone interview"),
            (4, ", which is the lowest rate in the country"),
        ],
    },
    {
        "name": "data_protection_law",
        "split": "dev",
        "chunks": [
            "Article 6 of the Valmora Data Protection Act states that personal data may be "
            "processed only if the data subject has given consent or another lawful basis applies, "
            "such as the performance of a contract. Consent must be freely given, specific and "
            "informed, and it can be withdrawn at any time. Withdrawing consent does not affect the "
            "lawfulness of processing carried out before the withdrawal. "
            "Consent given by a child under 16 is valid only with the approval of a parent.",
            "Under Article 15, a data subject has the right to obtain a copy of their personal "
            "data. The controller must answer the request within one month of receipt; this period "
            "may be extended by two further months for complex requests, provided the data subject "
            "is told within the first month. The first copy is free of charge, but a reasonable fee "
            "may be charged for further copies. "
            "The controller may refuse requests that are clearly unfounded or excessive, but must "
            "explain why.",
            "A personal data breach must be reported to the Valmora Data Commission within 72 "
            "hours of the controller becoming aware of it. Data subjects must be informed without "
            "undue delay only when the breach is likely to result in a high risk to their rights. "
            "Fines for serious infringements can reach 20 million euros or 4 percent of worldwide "
            "annual turnover, whichever is higher. The Act entered into force on 25 May 2021.",
        ],
        "facts": [
            (
                0,
                "Consent must be freely given, specific and informed, and it can be withdrawn at any "
                "time.",
                "Consent has to be freely given, specific and informed, and the person can withdraw it "
                "whenever they like.",
                [
                    (
                        "negation",
                        "can withdraw it whenever they like",
                        "cannot withdraw it once given",
                    )
                ],
            ),
            (
                0,
                "Withdrawing consent does not affect the lawfulness of processing carried out before "
                "the withdrawal.",
                "Processing done before consent was withdrawn remains lawful.",
                [("negation", "remains lawful", "becomes unlawful")],
            ),
            (
                0,
                "Article 6 of the Valmora Data Protection Act states that personal data may be "
                "processed only if the data subject has given consent or another lawful basis "
                "applies, such as the performance of a contract.",
                "Under Article 6 of the Valmora Data Protection Act, personal data can only be "
                "processed with the data subject's consent or another lawful basis, such as "
                "performing a contract.",
                [("number", "Article 6", "Article 9"), ("entity", "Valmora", "Ostland")],
            ),
            (
                1,
                "Under Article 15, a data subject has the right to obtain a copy of their personal "
                "data.",
                "Article 15 gives data subjects the right to get a copy of their personal data.",
                [("number", "Article 15", "Article 17")],
            ),
            (
                1,
                "The controller must answer the request within one month of receipt; this period may "
                "be extended by two further months for complex requests, provided the data subject "
                "is told within the first month.",
                "The controller has one month from receipt to reply, which can be extended by two more "
                "months for complex requests if the data subject is told within the first month.",
                [
                    ("number", "two more months", "six more months"),
                    ("number", "one month from receipt", "three months from receipt"),
                ],
            ),
            (
                1,
                "The first copy is free of charge, but a reasonable fee may be charged for further "
                "copies.",
                "The first copy costs nothing, though further copies may carry a reasonable fee.",
                [("negation", "The first copy costs nothing", "Even the first copy carries a fee")],
            ),
            (
                2,
                "A personal data breach must be reported to the Valmora Data Commission within 72 "
                "hours of the controller becoming aware of it.",
                "Controllers must report a personal data breach to the Valmora Data Commission within "
                "72 hours of learning about it.",
                [
                    ("number", "72 hours", "24 hours"),
                    ("entity", "Valmora Data Commission", "Valmora Police"),
                ],
            ),
            (
                2,
                "Data subjects must be informed without undue delay only when the breach is likely "
                "to result in a high risk to their rights.",
                "The people affected must be told without undue delay only if the breach is likely to "
                "cause a high risk to their rights.",
                [
                    (
                        "negation",
                        "only if the breach is likely to cause a high risk",
                        "even if the breach is unlikely to cause any risk",
                    )
                ],
            ),
            (
                2,
                "Fines for serious infringements can reach 20 million euros or 4 percent of "
                "worldwide annual turnover, whichever is higher.",
                "Serious infringements can be fined up to 20 million euros or 4 percent of worldwide "
                "annual turnover, whichever is higher.",
                [
                    ("number", "4 percent", "2 percent"),
                    ("negation", "whichever is higher", "whichever is lower"),
                ],
            ),
            (
                2,
                "The Act entered into force on 25 May 2021.",
                "The Act came into force on 25 May 2021.",
                [("date", "25 May 2021", "25 May 2018"), ("date", "May", "November")],
            ),
        ],
        "extras": [
            "The Act does not apply to companies with fewer than 50 employees.",
            "Every controller must appoint a data protection officer.",
            "Data subjects can claim compensation of up to 10,000 euros.",
        ],
        "clauses": [
            (3, ", including any profiles built from it"),
            (6, " and publish a notice on their website"),
            (9, ", after a public consultation that lasted a year"),
        ],
    },
    {
        "name": "volcano",
        "split": "dev",
        "chunks": [
            "Mount Keskar is a stratovolcano on the island of Ulvara, rising to 2,871 metres above "
            "sea level. It is the highest peak of the Ulvara archipelago and has a summit crater "
            "about 600 metres wide. The volcano is fed by a magma chamber estimated to lie 6 to 8 "
            "kilometres below the surface. "
            "Its lower slopes are covered with pine forest, and the upper cone is bare rock and "
            "ash. The nearest town, Eskvik, lies 12 kilometres to the south-west of the summit.",
            "The largest recorded eruption began on 3 August 1883 and lasted eleven days. Ash "
            "columns reached a height of 18 kilometres, and pyroclastic flows destroyed the fishing "
            "village of Harvik, whose 412 inhabitants had been evacuated two days earlier. No one in "
            "Harvik died, but ash fall ruined the barley harvest across the eastern half of the "
            "island. "
            "The island's governor declared a state of emergency that lasted until the end of "
            "September.",
            "Since 1962 the volcano has been monitored by the Ulvara Volcano Observatory, which "
            "runs 14 seismic stations and 3 gas sensors on its flanks. Minor eruptions occurred in "
            "1977 and 2009, neither of which caused injuries. The summit area is closed to hikers "
            "when the alert level is orange or red, but the lower trails remain open at alert level "
            "yellow. "
            "Daily bulletins on the alert level are posted at the trailheads and on the "
            "observatory's website.",
        ],
        "facts": [
            (
                0,
                "Mount Keskar is a stratovolcano on the island of Ulvara, rising to 2,871 metres "
                "above sea level.",
                "Mount Keskar, a stratovolcano on Ulvara, is 2,871 metres high.",
                [("number", "2,871", "3,214"), ("entity", "Ulvara", "Skorra")],
            ),
            (
                0,
                "It is the highest peak of the Ulvara archipelago and has a summit crater about 600 "
                "metres wide.",
                "It is the tallest peak in the Ulvara archipelago, with a summit crater around 600 "
                "metres across.",
                [("number", "600", "900"), ("negation", "tallest", "lowest")],
            ),
            (
                0,
                "The volcano is fed by a magma chamber estimated to lie 6 to 8 kilometres below the "
                "surface.",
                "A magma chamber thought to sit 6 to 8 kilometres underground feeds the volcano.",
                [("number", "6 to 8", "20 to 25")],
            ),
            (
                1,
                "The largest recorded eruption began on 3 August 1883 and lasted eleven days.",
                "Its biggest recorded eruption started on 3 August 1883 and went on for eleven days.",
                [
                    ("date", "3 August 1883", "3 August 1893"),
                    ("number", "eleven days", "four days"),
                ],
            ),
            (
                1,
                "Ash columns reached a height of 18 kilometres, and pyroclastic flows destroyed the "
                "fishing village of Harvik, whose 412 inhabitants had been evacuated two days "
                "earlier.",
                "Ash rose 18 kilometres high, and pyroclastic flows destroyed the fishing village of "
                "Harvik after its 412 residents had been evacuated two days before.",
                [("entity", "Harvik", "Solby"), ("number", "412", "1,200")],
            ),
            (
                1,
                "No one in Harvik died, but ash fall ruined the barley harvest across the eastern "
                "half of the island.",
                "Nobody in Harvik was killed, but falling ash ruined the barley harvest in the eastern "
                "half of the island.",
                [
                    ("negation", "Nobody in Harvik was killed", "Dozens in Harvik were killed"),
                    ("negation", "eastern", "western"),
                ],
            ),
            (
                2,
                "Since 1962 the volcano has been monitored by the Ulvara Volcano Observatory, which "
                "runs 14 seismic stations and 3 gas sensors on its flanks.",
                "The Ulvara Volcano Observatory has watched the volcano since 1962 with 14 seismic "
                "stations and 3 gas sensors on its slopes.",
                [("date", "1962", "1975"), ("number", "14 seismic", "40 seismic")],
            ),
            (
                2,
                "Minor eruptions occurred in 1977 and 2009, neither of which caused injuries.",
                "There were minor eruptions in 1977 and 2009, and nobody was injured in either.",
                [
                    ("date", "2009", "2014"),
                    ("negation", "nobody was injured", "several people were injured"),
                ],
            ),
            (
                2,
                "The summit area is closed to hikers when the alert level is orange or red, but the "
                "lower trails remain open at alert level yellow.",
                "Hikers cannot enter the summit area at alert level orange or red, while the lower "
                "trails stay open at yellow.",
                [("negation", "stay open", "close")],
            ),
        ],
        "extras": [
            "Mount Keskar last erupted in 2021.",
            "The volcano's name means smoking mountain in the old Ulvaran language.",
            "Hot springs at the foot of the volcano attract thousands of tourists each summer.",
        ],
        "clauses": [
            (3, ", and it was heard on the mainland"),
            (6, ", funded by the national government"),
            (2, ", which is slowly filling up again"),
        ],
    },
    {
        "name": "travel_insurance",
        "split": "test",
        "chunks": [
            "Wayfarer Essential covers emergency medical treatment abroad up to 2 million pounds "
            "per person, including repatriation to the UK when a doctor decides it is medically "
            "necessary. Pre-existing medical conditions are not covered unless they have been "
            "declared and accepted in writing before departure. The policy applies to trips of up "
            "to 31 days; longer trips need the Wayfarer Extended policy. "
            "Cover for each trip starts when you leave home.",
            "If you must cancel your trip, the policy reimburses non-refundable costs of up to "
            "3,000 pounds, provided the reason is listed, such as serious illness, jury service or "
            "the death of a close relative. Changing your mind or failing to obtain a visa is not a "
            "valid reason. Since 15 January 2024, pandemic-related cancellations are also covered. "
            "An excess of 100 pounds applies to each claim, except for claims for medical "
            "treatment, where the excess is 50 pounds.",
            "Baggage that is lost or stolen is covered up to 1,500 pounds in total, with a limit of "
            "300 pounds for any single item. Theft must be reported to the local police within 24 "
            "hours and a written report obtained. Winter sports are excluded unless the Snow Pack "
            "add-on is bought. Claims must be made within 60 days of your return, by phone or "
            "through the Alder and Crane app. This wording applies to policies bought from 1 April "
            "2024.",
        ],
        "facts": [
            (
                0,
                "Wayfarer Essential covers emergency medical treatment abroad up to 2 million pounds "
                "per person, including repatriation to the UK when a doctor decides it is medically "
                "necessary.",
                "Wayfarer Essential pays for emergency medical treatment abroad up to 2 million pounds "
                "per person, including bringing you back to the UK if a doctor decides it is "
                "medically necessary.",
                [("number", "2 million", "5 million")],
            ),
            (
                0,
                "Pre-existing medical conditions are not covered unless they have been declared and "
                "accepted in writing before departure.",
                "Pre-existing medical conditions are only covered if they were declared and accepted "
                "in writing before you left.",
                [
                    (
                        "negation",
                        "only covered if they were declared",
                        "covered even if they were not declared",
                    )
                ],
            ),
            (
                0,
                "The policy applies to trips of up to 31 days; longer trips need the Wayfarer "
                "Extended policy.",
                "It covers trips of up to 31 days, and longer trips need Wayfarer Extended.",
                [
                    ("number", "31 days", "45 days"),
                    ("entity", "Wayfarer Extended", "Wayfarer Gold"),
                ],
            ),
            (
                1,
                "If you must cancel your trip, the policy reimburses non-refundable costs of up to "
                "3,000 pounds, provided the reason is listed, such as serious illness, jury service "
                "or the death of a close relative.",
                "When you have to cancel for a listed reason, such as serious illness, jury service or "
                "a close relative's death, it pays back non-refundable costs of up to 3,000 pounds.",
                [("number", "3,000", "5,000")],
            ),
            (
                1,
                "Changing your mind or failing to obtain a visa is not a valid reason.",
                "Changing your mind or not getting a visa does not count as a valid reason.",
                [("negation", "does not count as", "counts as")],
            ),
            (
                1,
                "Since 15 January 2024, pandemic-related cancellations are also covered.",
                "Cancellations because of a pandemic have been covered since 15 January 2024.",
                [("date", "15 January 2024", "15 January 2022")],
            ),
            (
                1,
                "An excess of 100 pounds applies to each claim, except for claims for medical "
                "treatment, where the excess is 50 pounds.",
                "Each claim has a 100 pound excess, apart from medical treatment claims, where the "
                "excess is 50 pounds.",
                [("number", "100 pound", "150 pound"), ("number", "is 50 pounds", "is 75 pounds")],
            ),
            (
                2,
                "Baggage that is lost or stolen is covered up to 1,500 pounds in total, with a limit "
                "of 300 pounds for any single item.",
                "Lost or stolen baggage is covered up to 1,500 pounds in total, and no single item can "
                "be claimed for more than 300 pounds.",
                [("number", "300", "500")],
            ),
            (
                2,
                "Theft must be reported to the local police within 24 hours and a written report "
                "obtained.",
                "You must report a theft to the local police within 24 hours and get a written report.",
                [("number", "24 hours", "72 hours"), ("entity", "the local police", "your hotel")],
            ),
            (
                2,
                "Winter sports are excluded unless the Snow Pack add-on is bought.",
                "Winter sports are not covered unless you buy the Snow Pack add-on.",
                [
                    ("negation", "are not covered unless you buy", "are covered without needing"),
                    ("entity", "Snow Pack", "Adventure Pack"),
                ],
            ),
            (
                2,
                "Claims must be made within 60 days of your return, by phone or through the Alder "
                "and Crane app.",
                "You have 60 days after you get back to make a claim, by phone or in the Alder and "
                "Crane app.",
                [("number", "60 days", "90 days")],
            ),
            (
                2,
                "This wording applies to policies bought from 1 April 2024.",
                "The wording covers policies bought from 1 April 2024 onwards.",
                [("date", "1 April 2024", "1 April 2022")],
            ),
        ],
        "extras": [
            "The policy also covers rental car excess up to 500 pounds.",
            "Travellers over 70 pay a higher premium.",
            "Lost passports are replaced free of charge at any UK embassy.",
        ],
        "clauses": [
            (8, ", and the police report must be translated into English"),
            (2, ", and you can extend cover online while abroad"),
            (7, " once you send the original receipts"),
        ],
    },
    {
        "name": "parking_ordinance",
        "split": "dev",
        "chunks": [
            "Under the Brennmoor Parking Ordinance, on-street parking in Zone A, the historic "
            "centre, is limited to 2 hours between 08:00 and 19:00, Monday to Saturday. Parking on "
            "Sundays and public holidays is free in all zones. Residents with a valid Zone A permit "
            "may park without a time limit in marked resident bays, but not in loading bays. "
            "Payment is made at the ticket machines or with the city's parking app. Delivery vans "
            "may stop for up to 20 minutes in loading bays.",
            "A resident permit costs 120 euros per year for the first vehicle and 240 euros for a "
            "second vehicle registered at the same address. Permits are issued by the Brennmoor "
            "Mobility Office and must be displayed behind the windscreen. Electric vehicles receive "
            "a 50 percent discount on the permit fee until 31 December 2026. "
            "A household may hold no more than two resident permits, and a permit cannot be moved "
            "to another vehicle without telling the office.",
            "Parking without a valid ticket is fined 35 euros, and overstaying the time limit by "
            "more than 30 minutes is fined 25 euros. Vehicles parked in a disabled bay without a "
            "blue badge can be towed, and the owner must pay a towing fee of 180 euros. The "
            "ordinance was adopted by the city council on 9 February 2023 and replaced the rules of "
            "2011. "
            "Fines can be paid online or at any post office. Drivers may appeal a fine in writing "
            "within 28 days.",
        ],
        "facts": [
            (
                0,
                "Under the Brennmoor Parking Ordinance, on-street parking in Zone A, the historic "
                "centre, is limited to 2 hours between 08:00 and 19:00, Monday to Saturday.",
                "In Zone A, the historic centre, you can park on the street for at most 2 hours "
                "between 08:00 and 19:00 from Monday to Saturday.",
                [
                    ("number", "2 hours", "4 hours"),
                    ("date", "Monday to Saturday", "Monday to Friday"),
                ],
            ),
            (
                0,
                "Parking on Sundays and public holidays is free in all zones.",
                "On Sundays and public holidays, parking is free in every zone.",
                [("negation", "is free", "is charged"), ("date", "Sundays", "Saturdays")],
            ),
            (
                0,
                "Residents with a valid Zone A permit may park without a time limit in marked "
                "resident bays, but not in loading bays.",
                "Zone A permit holders can park for as long as they like in marked resident bays, "
                "though not in loading bays.",
                [("negation", "though not in loading bays", "and also in loading bays")],
            ),
            (
                1,
                "A resident permit costs 120 euros per year for the first vehicle and 240 euros for "
                "a second vehicle registered at the same address.",
                "A resident permit is 120 euros a year for the first car and 240 euros for a second "
                "car at the same address.",
                [("number", "120", "150"), ("number", "240", "200")],
            ),
            (
                1,
                "Permits are issued by the Brennmoor Mobility Office and must be displayed behind "
                "the windscreen.",
                "The Brennmoor Mobility Office issues the permits, which must be shown behind the "
                "windscreen.",
                [("entity", "Mobility Office", "Police Department")],
            ),
            (
                1,
                "Electric vehicles receive a 50 percent discount on the permit fee until 31 December "
                "2026.",
                "Until 31 December 2026, electric vehicles get half off the permit fee.",
                [("date", "31 December 2026", "31 December 2024")],
            ),
            (
                2,
                "Parking without a valid ticket is fined 35 euros, and overstaying the time limit by "
                "more than 30 minutes is fined 25 euros.",
                "The fine is 35 euros for parking without a valid ticket and 25 euros for staying more "
                "than 30 minutes past the limit.",
                [("number", "35 euros", "55 euros"), ("number", "30 minutes", "10 minutes")],
            ),
            (
                2,
                "Vehicles parked in a disabled bay without a blue badge can be towed, and the owner "
                "must pay a towing fee of 180 euros.",
                "A car left in a disabled bay without a blue badge can be towed, and its owner pays a "
                "180 euro towing fee.",
                [("number", "180", "280"), ("negation", "can be towed", "cannot be towed")],
            ),
            (
                2,
                "The ordinance was adopted by the city council on 9 February 2023 and replaced the "
                "rules of 2011.",
                "The city council adopted the ordinance on 9 February 2023, replacing the 2011 rules.",
                [
                    ("date", "9 February 2023", "9 February 2022"),
                    ("date", "2011", "2015"),
                    ("entity", "city council", "regional parliament"),
                ],
            ),
        ],
        "extras": [
            "Motorcycles can park for free in all zones.",
            "Visitors can buy a day pass for 8 euros at any kiosk.",
            "Fines are doubled if they are not paid within 14 days.",
        ],
        "clauses": [
            (4, ", and they can be renewed online"),
            (0, ", and the limit is enforced by camera"),
            (3, ", payable in monthly instalments"),
        ],
    },
    {
        "name": "laptop_battery_faq",
        "split": "dev",
        "chunks": [
            "The Arlo Book 14 went on sale on 3 October 2023. It has a 56 watt-hour lithium-ion "
            "battery that lasts up to 12 hours of video playback. Battery life depends on screen "
            "brightness, background apps and Wi-Fi use. The battery is built in and cannot be "
            "removed by the user; replacements must be done by a Kestrel authorised service centre. "
            "The charging port on the left side also carries data and video. A small light next "
            "to it glows amber while the battery charges.",
            "The supplied 65 watt USB-C charger fills the battery from 0 to 80 percent in about 50 "
            "minutes. Chargers below 45 watts will charge the laptop slowly and may not charge it "
            "while it is under heavy load. You can keep the laptop plugged in all the time: when "
            "Battery Care is switched on, charging stops at 80 percent to slow down wear. "
            "The laptop also charges from most USB-C power banks that deliver at least 45 watts.",
            "A battery is considered worn when its full capacity falls below 80 percent of its "
            "design capacity. Kestrel guarantees the battery for 1 year, or 2 years in the European "
            "Union, and replaces it free of charge if it wears out faster under normal use. Do not "
            "store the laptop for long periods with an empty battery; charge it to about 50 percent "
            "first. Battery Care was added in the firmware update of 7 June 2024.",
        ],
        "facts": [
            (
                0,
                "It has a 56 watt-hour lithium-ion battery that lasts up to 12 hours of video "
                "playback.",
                "Its 56 watt-hour lithium-ion battery gives up to 12 hours of video playback.",
                [("number", "12 hours", "18 hours"), ("number", "56", "72")],
            ),
            (
                0,
                "The Arlo Book 14 went on sale on 3 October 2023.",
                "The Arlo Book 14 has been on sale since 3 October 2023.",
                [("date", "3 October 2023", "3 October 2022")],
            ),
            (
                0,
                "The battery is built in and cannot be removed by the user; replacements must be "
                "done by a Kestrel authorised service centre.",
                "Users cannot remove the built-in battery, so replacements are done by a Kestrel "
                "authorised service centre.",
                [
                    ("negation", "Users cannot remove", "Users can easily remove"),
                    ("entity", "a Kestrel authorised service centre", "any phone repair shop"),
                ],
            ),
            (
                0,
                "Battery life depends on screen brightness, background apps and Wi-Fi use.",
                "How long the battery lasts depends on screen brightness, apps running in the "
                "background and Wi-Fi use.",
                [("negation", "depends on", "does not depend on")],
            ),
            (
                1,
                "The supplied 65 watt USB-C charger fills the battery from 0 to 80 percent in about "
                "50 minutes.",
                "With the 65 watt USB-C charger in the box, the battery goes from 0 to 80 percent in "
                "about 50 minutes.",
                [("number", "50 minutes", "90 minutes"), ("number", "65 watt", "100 watt")],
            ),
            (
                1,
                "Chargers below 45 watts will charge the laptop slowly and may not charge it while "
                "it is under heavy load.",
                "A charger under 45 watts charges slowly and may not charge the laptop at all under "
                "heavy load.",
                [("number", "45", "30")],
            ),
            (
                1,
                "You can keep the laptop plugged in all the time: when Battery Care is switched on, "
                "charging stops at 80 percent to slow down wear.",
                "Leaving the laptop plugged in is fine, because with Battery Care on, charging stops "
                "at 80 percent to slow wear.",
                [
                    ("negation", "is fine", "damages the battery"),
                    ("entity", "Battery Care", "Eco Mode"),
                ],
            ),
            (
                2,
                "A battery is considered worn when its full capacity falls below 80 percent of its "
                "design capacity.",
                "A battery counts as worn once its full capacity drops under 80 percent of the design "
                "capacity.",
                [("number", "80 percent", "60 percent")],
            ),
            (
                2,
                "Kestrel guarantees the battery for 1 year, or 2 years in the European Union, and "
                "replaces it free of charge if it wears out faster under normal use.",
                "The battery has a 1-year Kestrel guarantee, or 2 years in the European Union, with a "
                "free replacement if it wears out early under normal use.",
                [("number", "2 years", "3 years"), ("entity", "European Union", "United States")],
            ),
            (
                2,
                "Do not store the laptop for long periods with an empty battery; charge it to about "
                "50 percent first.",
                "Before storing the laptop for a long time, charge it to about 50 percent rather than "
                "leaving the battery empty.",
                [("number", "50 percent", "100 percent")],
            ),
            (
                2,
                "Battery Care was added in the firmware update of 7 June 2024.",
                "Battery Care arrived with the firmware update of 7 June 2024.",
                [("date", "7 June 2024", "7 June 2023")],
            ),
        ],
        "extras": [
            "The battery can be charged with a phone charger in an emergency.",
            "Kestrel recycles old batteries free of charge.",
            "Playing games cuts battery life to about 3 hours.",
        ],
        "clauses": [
            (0, ", the longest of any laptop in its class"),
            (4, " and a fast-charge icon appears in the taskbar"),
            (8, ", which can be extended to 5 years for a fee"),
        ],
    },
    {
        "name": "physics_explainer",
        "split": "dev",
        "chunks": [
            "Sunlight looks white, but it is a mixture of all visible colours, with wavelengths "
            "from about 380 nanometres for violet to 750 nanometres for red. When sunlight enters "
            "the atmosphere, it meets nitrogen and oxygen molecules that are far smaller than these "
            "wavelengths. Such small particles scatter short wavelengths much more strongly than "
            "long ones, an effect called Rayleigh scattering. "
            "Light with shorter wavelengths carries more energy per photon.",
            "The strength of Rayleigh scattering is inversely proportional to the fourth power of "
            "the wavelength, so blue light at 450 nanometres is scattered about 5.5 times more than "
            "red light at 700 nanometres. The effect is named after the British physicist Lord "
            "Rayleigh, who published the explanation in 1871. Earlier, in 1859, John Tyndall had "
            "shown in the laboratory that fine particles make a beam of light appear blue from the "
            "side.",
            "Violet light is scattered even more than blue, yet the sky does not look violet. The "
            "Sun emits less violet than blue, and our eyes are less sensitive to violet. At sunrise "
            "and sunset, sunlight crosses up to 40 times more air than at noon, so most blue light "
            "is scattered away before it reaches us and the remaining light looks red and orange. "
            "Clouds are white because their water droplets are larger than the wavelengths of light "
            "and scatter all colours almost equally.",
        ],
        "facts": [
            (
                0,
                "Sunlight looks white, but it is a mixture of all visible colours, with wavelengths "
                "from about 380 nanometres for violet to 750 nanometres for red.",
                "White sunlight is really a mix of all visible colours, from violet at about 380 "
                "nanometres to red at 750 nanometres.",
                [("number", "380", "280"), ("entity", "red at 750", "green at 750")],
            ),
            (
                0,
                "When sunlight enters the atmosphere, it meets nitrogen and oxygen molecules that "
                "are far smaller than these wavelengths.",
                "In the atmosphere, sunlight hits nitrogen and oxygen molecules much smaller than "
                "these wavelengths.",
                [
                    ("negation", "much smaller than", "much larger than"),
                    ("entity", "nitrogen", "helium"),
                ],
            ),
            (
                0,
                "Such small particles scatter short wavelengths much more strongly than long ones, "
                "an effect called Rayleigh scattering.",
                "Particles this small scatter short wavelengths far more strongly than long ones, "
                "which is known as Rayleigh scattering.",
                [
                    (
                        "negation",
                        "short wavelengths far more strongly than long ones",
                        "long wavelengths far more strongly than short ones",
                    ),
                    ("entity", "Rayleigh scattering", "Mie scattering"),
                ],
            ),
            (
                1,
                "The strength of Rayleigh scattering is inversely proportional to the fourth power "
                "of the wavelength, so blue light at 450 nanometres is scattered about 5.5 times "
                "more than red light at 700 nanometres.",
                "Rayleigh scattering falls with the fourth power of the wavelength, so blue light at "
                "450 nanometres scatters about 5.5 times more than red light at 700 nanometres.",
                [("number", "fourth power", "second power"), ("number", "5.5", "2.5")],
            ),
            (
                1,
                "The effect is named after the British physicist Lord Rayleigh, who published the "
                "explanation in 1871.",
                "It is named after British physicist Lord Rayleigh, who published the explanation in "
                "1871.",
                [("date", "1871", "1901"), ("entity", "British", "French")],
            ),
            (
                1,
                "Earlier, in 1859, John Tyndall had shown in the laboratory that fine particles make "
                "a beam of light appear blue from the side.",
                "In 1859 John Tyndall had already shown in the lab that fine particles make a light "
                "beam look blue from the side.",
                [("entity", "John Tyndall", "Michael Faraday"), ("date", "1859", "1889")],
            ),
            (
                2,
                "Violet light is scattered even more than blue, yet the sky does not look violet.",
                "Violet light scatters even more than blue, but the sky does not appear violet.",
                [("negation", "scatters even more than blue", "scatters less than blue")],
            ),
            (
                2,
                "The Sun emits less violet than blue, and our eyes are less sensitive to violet.",
                "The Sun gives off less violet than blue, and human eyes are less sensitive to violet.",
                [("negation", "less sensitive", "more sensitive")],
            ),
            (
                2,
                "At sunrise and sunset, sunlight crosses up to 40 times more air than at noon, so "
                "most blue light is scattered away before it reaches us and the remaining light "
                "looks red and orange.",
                "At sunrise and sunset, light passes through up to 40 times more air than at noon, so "
                "most of the blue is scattered away and what remains looks red and orange.",
                [("number", "40 times", "10 times")],
            ),
            (
                2,
                "Clouds are white because their water droplets are larger than the wavelengths of "
                "light and scatter all colours almost equally.",
                "Clouds look white since their water droplets are bigger than light's wavelengths and "
                "scatter all colours about equally.",
                [("negation", "are bigger than", "are smaller than")],
            ),
        ],
        "extras": [
            "The sky on Mars looks blue at noon for the same reason.",
            "Rayleigh scattering also explains why the ocean is blue.",
            "Polarised sunglasses make the sky look darker because they block scattered light.",
        ],
        "clauses": [
            (4, ", and he later won the Nobel Prize for it"),
            (8, ", which is why sunsets are redder after volcanic eruptions"),
            (1, ", which make up about 99 percent of dry air"),
        ],
    },
    {
        "name": "library_rules",
        "split": "test",
        "chunks": [
            "Anyone who lives, works or studies in Ashgrove can join the Ashgrove Public Library "
            "for free with proof of address. Members may borrow up to 12 items at a time, of which "
            "no more than 4 may be DVDs. Books are lent for 3 weeks and DVDs for 1 week. Loans can "
            "be renewed twice online or at the desk, unless another member has reserved the item. "
            "Members receive a card that also gives access to the online e-book collection.",
            "Overdue books are charged at 20 pence per day, up to a maximum of 6 pounds per item. "
            "Children's books are exempt from overdue charges. A lost or damaged item must be paid "
            "for at its replacement cost plus a 5 pound processing fee. Members with unpaid charges "
            "over 10 pounds cannot borrow until the balance is cleared. "
            "Charges can be paid at the desk by card or cash. Reminders are sent by email 2 days "
            "before an item is due.",
            "The library is open from 09:00 to 20:00 on weekdays and from 10:00 to 16:00 on "
            "Saturdays, and it is closed on Sundays. Food is not allowed in the reading rooms, but "
            "covered drinks are permitted. The study rooms on the second floor can be booked for up "
            "to 3 hours per day. The library moved into the former Corn Exchange building on 4 "
            "September 2017, and the head librarian is Helen Achterberg. "
            "Lockers are available in the entrance hall.",
        ],
        "facts": [
            (
                0,
                "Anyone who lives, works or studies in Ashgrove can join the Ashgrove Public Library "
                "for free with proof of address.",
                "People who live, work or study in Ashgrove can join the library for free by showing "
                "proof of address.",
                [("negation", "for free", "for a yearly fee")],
            ),
            (
                0,
                "Members may borrow up to 12 items at a time, of which no more than 4 may be DVDs.",
                "Members can have up to 12 items on loan at once, but no more than 4 of them can be "
                "DVDs.",
                [("number", "up to 12", "up to 20"), ("number", "4 of them", "6 of them")],
            ),
            (
                0,
                "Books are lent for 3 weeks and DVDs for 1 week.",
                "The loan period is 3 weeks for books and 1 week for DVDs.",
                [("number", "3 weeks", "4 weeks")],
            ),
            (
                0,
                "Loans can be renewed twice online or at the desk, unless another member has "
                "reserved the item.",
                "You can renew a loan twice online or at the desk, as long as nobody else has reserved "
                "it.",
                [
                    (
                        "negation",
                        "as long as nobody else has reserved it",
                        "even if someone else has reserved it",
                    ),
                    ("number", "twice", "five times"),
                ],
            ),
            (
                1,
                "Overdue books are charged at 20 pence per day, up to a maximum of 6 pounds per "
                "item.",
                "Late books cost 20 pence a day, capped at 6 pounds per item.",
                [("number", "20 pence", "50 pence"), ("number", "6 pounds", "10 pounds")],
            ),
            (
                1,
                "Children's books are exempt from overdue charges.",
                "There are no overdue charges on children's books.",
                [("negation", "There are no overdue charges", "There are double overdue charges")],
            ),
            (
                1,
                "A lost or damaged item must be paid for at its replacement cost plus a 5 pound "
                "processing fee.",
                "If you lose or damage an item, you pay its replacement cost plus a 5 pound processing "
                "fee.",
                [("number", "5 pound", "15 pound")],
            ),
            (
                1,
                "Members with unpaid charges over 10 pounds cannot borrow until the balance is "
                "cleared.",
                "Members who owe more than 10 pounds cannot borrow anything until they pay.",
                [
                    (
                        "negation",
                        "cannot borrow anything until they pay",
                        "can still borrow while they owe it",
                    ),
                    ("number", "10 pounds", "25 pounds"),
                ],
            ),
            (
                2,
                "The library is open from 09:00 to 20:00 on weekdays and from 10:00 to 16:00 on "
                "Saturdays, and it is closed on Sundays.",
                "Opening hours are 09:00 to 20:00 on weekdays and 10:00 to 16:00 on Saturdays, with "
                "the library closed on Sundays.",
                [("date", "closed on Sundays", "closed on Mondays"), ("number", "20:00", "22:00")],
            ),
            (
                2,
                "Food is not allowed in the reading rooms, but covered drinks are permitted.",
                "You cannot eat in the reading rooms, although covered drinks are allowed.",
                [
                    ("negation", "You cannot eat", "You may eat"),
                    ("negation", "covered drinks are allowed", "covered drinks are banned"),
                ],
            ),
            (
                2,
                "The study rooms on the second floor can be booked for up to 3 hours per day.",
                "Second-floor study rooms can be booked for up to 3 hours a day.",
                [("number", "3 hours", "6 hours"), ("entity", "Second-floor", "Ground-floor")],
            ),
            (
                2,
                "The library moved into the former Corn Exchange building on 4 September 2017, and "
                "the head librarian is Helen Achterberg.",
                "Since 4 September 2017 the library has been in the former Corn Exchange building, and "
                "Helen Achterberg is the head librarian.",
                [
                    ("date", "4 September 2017", "4 September 2012"),
                    ("entity", "Helen Achterberg", "Sarah Lindqvist"),
                    ("entity", "Corn Exchange", "Town Hall"),
                ],
            ),
        ],
        "extras": [
            "Members can print up to 20 pages a week for free.",
            "The library runs a book club on the first Tuesday of every month.",
            "Wi-Fi in the library requires a separate password from the desk.",
        ],
        "clauses": [
            (2, ", and audiobooks for 2 weeks"),
            (4, ", and the charges go to the children's reading fund"),
            (8, ", and late opening on Thursdays lasts until 21:00"),
        ],
    },
    {
        "name": "bridge_history",
        "split": "test",
        "chunks": [
            "The Ravensholm Bridge carries a road and a footpath across the River Ardle between the "
            "towns of Ravensholm and Kelby. It is a steel suspension bridge with a main span of 412 "
            "metres and two concrete towers 68 metres high. The chief engineer was Arthur Lindqvist "
            "of the firm Dunmore and Pratt, and construction began in April 1959. "
            "The deck is 22 metres wide and carries two lanes in each direction. Before the "
            "bridge opened, the crossing was made by a ferry.",
            "Building the bridge took four years and employed about 900 workers; two men died "
            "during construction, both in falls from the north tower. The bridge was opened by the "
            "Duke of Ardleshire on 18 September 1963. It cost 6.4 million pounds, nearly twice the "
            "original estimate of 3.5 million pounds, mainly because of problems with the riverbed "
            "foundations. "
            "A memorial plaque for the two workers was unveiled on the north tower in 1964.",
            "In 1998 engineers found corrosion in the main cables, and the bridge was closed to "
            "lorries heavier than 7.5 tonnes while the cables were dehumidified. The weight limit "
            "was lifted in 2004. Tolls were abolished on 1 January 2011. The bridge is a listed "
            "structure and cannot be altered without the permission of the national heritage "
            "agency. "
            "About 24,000 vehicles cross the bridge every day. Its maintenance is paid for by the "
            "regional government.",
        ],
        "facts": [
            (
                0,
                "The Ravensholm Bridge carries a road and a footpath across the River Ardle between "
                "the towns of Ravensholm and Kelby.",
                "The Ravensholm Bridge takes a road and a footpath over the River Ardle, linking "
                "Ravensholm and Kelby.",
                [("entity", "River Ardle", "River Tees"), ("entity", "Kelby", "Marston")],
            ),
            (
                0,
                "It is a steel suspension bridge with a main span of 412 metres and two concrete "
                "towers 68 metres high.",
                "It is a steel suspension bridge whose main span is 412 metres, with two 68-metre "
                "concrete towers.",
                [("number", "412", "512"), ("entity", "concrete towers", "brick towers")],
            ),
            (
                0,
                "The chief engineer was Arthur Lindqvist of the firm Dunmore and Pratt, and "
                "construction began in April 1959.",
                "Arthur Lindqvist of Dunmore and Pratt was chief engineer, and work started in April "
                "1959.",
                [
                    ("entity", "Arthur Lindqvist", "Gordon Baird"),
                    ("date", "April 1959", "April 1955"),
                ],
            ),
            (
                1,
                "Building the bridge took four years and employed about 900 workers; two men died "
                "during construction, both in falls from the north tower.",
                "Construction took four years and about 900 workers; two of them died, both falling "
                "from the north tower.",
                [
                    ("number", "about 900", "about 2,000"),
                    ("negation", "north tower", "south tower"),
                    ("number", "two of them died, both", "six of them died, all"),
                ],
            ),
            (
                1,
                "The bridge was opened by the Duke of Ardleshire on 18 September 1963.",
                "The Duke of Ardleshire opened the bridge on 18 September 1963.",
                [
                    ("date", "18 September 1963", "18 September 1965"),
                    ("entity", "Duke of Ardleshire", "Prime Minister"),
                ],
            ),
            (
                1,
                "It cost 6.4 million pounds, nearly twice the original estimate of 3.5 million "
                "pounds, mainly because of problems with the riverbed foundations.",
                "It cost 6.4 million pounds, close to double the original 3.5 million pound estimate, "
                "largely because of trouble with the riverbed foundations.",
                [("number", "6.4", "4.6")],
            ),
            (
                2,
                "In 1998 engineers found corrosion in the main cables, and the bridge was closed to "
                "lorries heavier than 7.5 tonnes while the cables were dehumidified.",
                "Engineers discovered corrosion in the main cables in 1998, so lorries over 7.5 tonnes "
                "were banned while the cables were dried out.",
                [("date", "1998", "1988"), ("number", "7.5", "3.5")],
            ),
            (
                2,
                "The weight limit was lifted in 2004.",
                "The weight limit was removed in 2004.",
                [
                    ("date", "2004", "2009"),
                    ("negation", "was removed in 2004", "was never removed"),
                ],
            ),
            (
                2,
                "Tolls were abolished on 1 January 2011.",
                "Tolls were scrapped on 1 January 2011.",
                [
                    ("date", "1 January 2011", "1 January 2001"),
                    ("negation", "were scrapped", "were introduced"),
                ],
            ),
            (
                2,
                "The bridge is a listed structure and cannot be altered without the permission of "
                "the national heritage agency.",
                "As a listed structure, the bridge cannot be changed without the national heritage "
                "agency's permission.",
                [
                    ("negation", "cannot be changed without", "can be changed without"),
                    ("entity", "national heritage agency", "county council"),
                ],
            ),
        ],
        "extras": [
            "The bridge appears in the opening scene of a 1970s television series.",
            "A second crossing downstream is planned for 2030.",
            "The towers are lit in blue every night.",
        ],
        "clauses": [
            (4, " in front of a crowd of 40,000 people"),
            (1, ", which made it the longest in Europe at the time"),
            (8, " after a local campaign"),
        ],
    },
    {
        "name": "quarterly_results",
        "split": "test",
        "chunks": [
            "Orvane Foods reported revenue of 1.82 billion euros for the third quarter of 2025, up "
            "6 percent from a year earlier, the company said on 23 October 2025. Operating profit "
            "rose to 214 million euros from 188 million euros. Growth came mainly from the frozen "
            "meals division, whose sales increased by 11 percent, while the bakery division's sales "
            "were flat. "
            "Volumes were 2 percent higher, and the rest of the growth came from price increases.",
            "Chief executive Lena Marchetti said higher prices for cocoa and wheat had been offset "
            "by savings from the closure of the plant in Tilburg, which was completed in June. The "
            "company confirmed its full-year forecast of revenue growth between 4 and 5 percent. It "
            "did not raise its dividend, which stays at 0.85 euros per share. "
            "Marchetti said she expected input costs to stay high until the middle of next year. "
            "Net debt fell to 1.1 billion euros.",
            "Orvane's shares rose 3.2 percent in Amsterdam after the announcement. Analysts at "
            "Brakel Securities had expected revenue of 1.79 billion euros. The company employs "
            "around 14,500 people in 9 countries and will publish its annual results on 19 "
            "February 2026. Chief financial officer Tomas Riedel will step down at the end of the "
            "year and will be replaced by Ingrid Solheim. "
            "The results were in line with the company's own guidance.",
        ],
        "facts": [
            (
                0,
                "Orvane Foods reported revenue of 1.82 billion euros for the third quarter of 2025, "
                "up 6 percent from a year earlier, the company said on 23 October 2025.",
                "On 23 October 2025 Orvane Foods said its third-quarter revenue was 1.82 billion "
                "euros, 6 percent more than a year before.",
                [
                    ("number", "1.82", "1.28"),
                    ("number", "6 percent", "9 percent"),
                    ("date", "23 October 2025", "23 September 2025"),
                ],
            ),
            (
                0,
                "Operating profit rose to 214 million euros from 188 million euros.",
                "Operating profit went up from 188 million euros to 214 million euros.",
                [("number", "214", "241"), ("negation", "went up", "went down")],
            ),
            (
                0,
                "Growth came mainly from the frozen meals division, whose sales increased by 11 "
                "percent, while the bakery division's sales were flat.",
                "Most of the growth came from frozen meals, where sales grew 11 percent, while bakery "
                "sales were flat.",
                [("entity", "frozen meals", "dairy"), ("negation", "were flat", "fell sharply")],
            ),
            (
                1,
                "Chief executive Lena Marchetti said higher prices for cocoa and wheat had been "
                "offset by savings from the closure of the plant in Tilburg, which was completed in "
                "June.",
                "According to chief executive Lena Marchetti, savings from closing the Tilburg plant, "
                "finished in June, offset higher cocoa and wheat prices.",
                [
                    ("entity", "Lena Marchetti", "Ingrid Solheim"),
                    ("entity", "Tilburg", "Eindhoven"),
                    ("date", "in June", "in March"),
                ],
            ),
            (
                1,
                "The company confirmed its full-year forecast of revenue growth between 4 and 5 "
                "percent.",
                "The company kept its full-year forecast of 4 to 5 percent revenue growth.",
                [("number", "4 to 5", "6 to 7"), ("negation", "kept", "cut")],
            ),
            (
                1,
                "It did not raise its dividend, which stays at 0.85 euros per share.",
                "The dividend was not raised and remains 0.85 euros per share.",
                [("negation", "was not raised", "was raised"), ("number", "0.85", "0.95")],
            ),
            (
                2,
                "Orvane's shares rose 3.2 percent in Amsterdam after the announcement.",
                "After the news, Orvane shares gained 3.2 percent in Amsterdam.",
                [
                    ("number", "3.2", "2.3"),
                    ("entity", "Amsterdam", "Frankfurt"),
                    ("negation", "gained", "lost"),
                ],
            ),
            (
                2,
                "Analysts at Brakel Securities had expected revenue of 1.79 billion euros.",
                "Brakel Securities analysts had forecast revenue of 1.79 billion euros.",
                [("entity", "Brakel Securities", "Morgan Hale"), ("number", "1.79", "1.85")],
            ),
            (
                2,
                "The company employs around 14,500 people in 9 countries and will publish its annual "
                "results on 19 February 2026.",
                "Orvane has about 14,500 employees in 9 countries and will release its annual results "
                "on 19 February 2026.",
                [
                    ("date", "19 February 2026", "19 March 2026"),
                    ("number", "9 countries", "12 countries"),
                ],
            ),
            (
                2,
                "Chief financial officer Tomas Riedel will step down at the end of the year and will "
                "be replaced by Ingrid Solheim.",
                "Finance chief Tomas Riedel is leaving at the end of the year, and Ingrid Solheim will "
                "take over.",
                [
                    ("entity", "Ingrid Solheim", "Lena Marchetti"),
                    ("entity", "Tomas Riedel", "Paul Verhoeven"),
                ],
            ),
        ],
        "extras": [
            "Orvane plans to open a new factory in Poland next year.",
            "The company also announced a share buyback of 200 million euros.",
            "Sales in Germany fell for the second quarter in a row.",
        ],
        "clauses": [
            (6, ", their biggest one-day gain this year"),
            (2, ", helped by a new vegan range"),
            (8, " at a press conference in Rotterdam"),
        ],
    },
]
