"""Write benchmarks/data/pii_cases.jsonl: the PII test set used by pii_redaction.py.

Each line is one sentence: ``{"id", "split", "kind", "label", "template", "text", "spans"}``.
Positives carry one piece of PII (``label`` EMAIL/PHONE/…, ``spans`` [[start, end, label]]);
negatives (``label`` null, ``spans`` []) carry a PII-free look-alike (timestamps, versions, order
ids, ISBNs, hashes, prices, …). Every kind has 8 sentence templates: templates 0-3 make the
``dev`` half (tune the rules on it), 4-7 the ``test`` half (report on it); the two halves also
draw their values from different seeds. Values use documentation ranges where they exist
(example.com, 555-01xx, 020 7946 0xxx, 192.0.2.0/24, 2001:db8::/32) and otherwise valid-looking
random numbers with correct checksums (Luhn, IBAN mod 97). Loopback and unspecified addresses
(``::1``, ``::``) are not personal data and are not in the set. Deterministic:

    python benchmarks/make_pii_cases.py
"""

from __future__ import annotations

import ipaddress
import json
import random
import string
import uuid
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "pii_cases.jsonl"
PER_TEMPLATE = 20  # sentences per template: 8 templates x 20 = 160 per kind, 80 per split

FIRST = ["jane", "john", "maria", "li", "ahmed", "olga", "pierre", "anna", "kenji", "fatima"]
LAST = ["doe", "smith", "garcia", "wang", "khan", "ivanova", "martin", "schmidt", "sato", "ali"]
DOMAINS = ["example.com", "example.org", "mail.example.co.uk", "corp.example.de", "example.fr"]


def d(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def luhn_complete(prefix: str, length: int, rng) -> str:
    body = prefix + d(rng, length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        x = int(ch)
        if i % 2 == 0:
            x = x * 2 - 9 if x > 4 else x * 2
        total += x
    return body + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - num % 97:02d}{bban}"


def group4(s: str) -> str:
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


# -- value generators per kind: rng -> (value, label) --------------------------------------------
def email_plain(rng):
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@{rng.choice(DOMAINS)}"


def email_tagged(rng):
    f, l_ = rng.choice(FIRST), rng.choice(LAST)
    shapes = [
        f"{f}+{rng.choice(['news', 'billing', 'x1'])}@{rng.choice(DOMAINS)}",
        f"{f[0]}{l_}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}",
        f"{f.upper()}.{l_.capitalize()}@{rng.choice(DOMAINS).upper()}",
        f"{f}_{l_}@sub.{rng.choice(DOMAINS)}",
    ]
    return rng.choice(shapes)


def nanp(rng):
    return f"{rng.randint(2, 9)}{d(rng, 2)}", f"{rng.randint(2, 9)}{d(rng, 2)}", d(rng, 4)


def phone_us_sep(rng):
    a, b, c = nanp(rng)
    return rng.choice([f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}"])


def phone_us_bare(rng):
    return "".join(nanp(rng))


def phone_us_intl(rng):
    a, b, c = nanp(rng)
    return rng.choice(
        [
            f"+1 {a} {b} {c}",
            f"+1-{a}-{b}-{c}",
            f"1-{a}-{b}-{c}",
            f"+1{a}{b}{c}",
            f"+1 ({a}) {b}-{c}",
        ]
    )


def phone_uk(rng):
    return rng.choice(
        [
            f"020 7946 0{d(rng, 3)}",
            f"07700 900{d(rng, 3)}",
            f"+44 20 7946 0{d(rng, 3)}",
            f"+44 (0)7700 900{d(rng, 3)}",
            f"0161 496 0{d(rng, 3)}",
            f"+447700900{d(rng, 3)}",
        ]
    )


def phone_de(rng):
    return rng.choice(
        [
            f"030 {d(rng, 8)}",
            f"030/{d(rng, 7)}",
            f"+49 30 {d(rng, 8)}",
            f"0151 {d(rng, 8)}",
            f"0049 89 {d(rng, 7)}",
            f"+49 (0)40 {d(rng, 7)}",
            f"089-{d(rng, 7)}",
        ]
    )


def phone_fr(rng):
    p = [f"{rng.randint(1, 9):02d}"] + [d(rng, 2) for _ in range(4)]
    return rng.choice(
        [
            " ".join(p),
            ".".join(p),
            "+33 " + p[0][1] + " " + " ".join(p[1:]),
            "+33" + p[0][1] + "".join(p[1:]),
        ]
    )


def phone_intl(rng):
    return rng.choice(
        [
            f"+31 6 {d(rng, 8)}",
            f"+61 2 {d(rng, 4)} {d(rng, 4)}",
            f"+91 9{d(rng, 4)} {d(rng, 5)}",
            f"+34 6{d(rng, 2)} {d(rng, 3)} {d(rng, 3)}",
            f"+39 3{d(rng, 2)} {d(rng, 7)}",
            f"+81-3-{d(rng, 4)}-{d(rng, 4)}",
        ]
    )


def card_fmt(rng, num: str, amex: bool = False) -> str:
    if amex:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i : i + 4] for i in range(0, len(num), 4)]
    return rng.choice([" ".join(parts), "-".join(parts), num])


def card_visa(rng):
    return card_fmt(rng, luhn_complete("4", 16, rng))


def card_mc(rng):
    prefix = rng.choice([str(rng.randint(51, 55)), str(rng.randint(2221, 2720))])
    return card_fmt(rng, luhn_complete(prefix, 16, rng))


def card_amex(rng):
    return card_fmt(rng, luhn_complete(rng.choice(["34", "37"]), 15, rng), amex=True)


def random_iban(rng):
    c = rng.choice(["DE", "GB", "FR", "ES", "NL", "IT", "BE", "AT", "CH", "PL"])
    if c == "GB":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + d(rng, 14)
    elif c == "NL":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + d(rng, 10)
    elif c == "IT":
        bban = rng.choice(string.ascii_uppercase) + d(rng, 22)
    else:
        bban = d(rng, {"DE": 18, "FR": 23, "ES": 20, "BE": 12, "AT": 16, "CH": 17, "PL": 24}[c])
    return iban(c, bban)


def iban_spaced(rng):
    return group4(random_iban(rng))


def iban_compact(rng):
    return random_iban(rng)


def iban_lower(rng):
    v = random_iban(rng).lower()
    return rng.choice([v, group4(v)])


def ipv4(rng):
    return rng.choice(
        [
            f"192.0.2.{rng.randint(1, 254)}",
            f"198.51.100.{rng.randint(1, 254)}",
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
            f"{rng.randint(1, 254)}",
        ]
    )


def ipv6_full(rng):
    a = ipaddress.IPv6Address(rng.getrandbits(128))
    return rng.choice([a.exploded, a.exploded.upper()])


def ipv6_compressed(rng):
    return rng.choice(
        [
            f"2001:db8::{rng.randint(1, 0xFFFF):x}",
            f"fe80::{rng.randint(1, 0xFFFF):x}:{rng.randint(1, 0xFFFF):x}",
            f"::ffff:192.0.2.{rng.randint(1, 254)}",
            str(ipaddress.IPv6Address((0x20010DB8 << 96) | rng.getrandbits(48))),
            "2001:db8:85a3::8a2e:370:7334",
        ]
    )


def ssn(rng):
    area = rng.choice([n for n in range(1, 900) if n != 666])
    v = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    return rng.choice([v, v.replace("-", " ")])


def uk_ni(rng):
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice(
        [
            c
            for c in "ABCEGHJKLMNPRSTWXYZ"
            if first + c not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ")
        ]
    )
    digits = d(rng, 6)
    v = rng.choice(
        [
            f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}",
            f"{first}{second}{digits}{rng.choice('ABCD')}",
        ]
    )
    return rng.choice([v, v, v.lower()])


def url_credentials(rng):
    user = rng.choice(["app", "admin", "svc_rag", "bob", ""])
    alnum = string.ascii_letters + string.digits
    pw = "".join(rng.choice(alnum) for _ in range(rng.randint(6, 14)))
    scheme, host = rng.choice(
        [
            ("postgresql", "db.internal:5432/prod"),
            ("https", "files.example.com/x"),
            ("redis", "cache:6379/0"),
            ("mysql", "10.0.0.5/app"),
        ]
    )
    return f"{scheme}://{user}:{pw}@{host}", f"{user}:{pw}"


def api_key(rng):
    an = string.ascii_letters + string.digits
    return rng.choice(
        [
            "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
            "ghp_" + "".join(rng.choice(an) for _ in range(36)),
            "sk_live_" + "".join(rng.choice(an) for _ in range(24)),
            "xoxb-"
            + d(rng, 11)
            + "-"
            + d(rng, 12)
            + "-"
            + "".join(rng.choice(an) for _ in range(24)),
            "sk-proj-" + "".join(rng.choice(an) for _ in range(40)),
        ]
    )


POSITIVE = {  # kind: (label, generator, noun used in templates)
    "email_plain": ("EMAIL", email_plain, "e-mail"),
    "email_varied": ("EMAIL", email_tagged, "e-mail address"),
    "phone_us_separated": ("PHONE", phone_us_sep, "phone number"),
    "phone_us_10digit": ("PHONE", phone_us_bare, "number"),
    "phone_us_intl": ("PHONE", phone_us_intl, "phone"),
    "phone_uk": ("PHONE", phone_uk, "phone number"),
    "phone_de": ("PHONE", phone_de, "Telefonnummer"),
    "phone_fr": ("PHONE", phone_fr, "numéro"),
    "phone_intl_other": ("PHONE", phone_intl, "mobile"),
    "card_visa": ("CARD", card_visa, "card"),
    "card_mastercard": ("CARD", card_mc, "credit card"),
    "card_amex": ("CARD", card_amex, "Amex card"),
    "iban_spaced": ("IBAN", iban_spaced, "IBAN"),
    "iban_compact": ("IBAN", iban_compact, "account"),
    "iban_lowercase": ("IBAN", iban_lower, "iban"),
    "ipv4": ("IP", ipv4, "IP address"),
    "ipv6_full": ("IP", ipv6_full, "IPv6 address"),
    "ipv6_compressed": ("IP", ipv6_compressed, "address"),
    "us_ssn": ("SSN", ssn, "SSN"),
    "uk_ni_number": ("NATIONAL_ID", uk_ni, "National Insurance number"),
    "url_credentials": ("CREDENTIALS", url_credentials, "connection string"),
    "api_key": ("API_KEY", api_key, "API key"),
}

POS_TEMPLATES = [  # 0-3 dev, 4-7 test
    "Please update my {noun} to {v} before the next statement.",
    "Customer wrote on 2024-03-02 10:15: my {noun} is {v}, thanks.",
    "{v} was given as the {noun} in ticket #48213.",
    "As discussed, use {v} for all further correspondence.",
    "The {noun} on file ({v}) no longer works; order ORD-2024-000917 is pending.",
    "Hi team, can someone check {v}? It appeared in yesterday's log at 14:02.",
    "Record shows {noun}: {v}",
    "Je confirme: {v}. Merci de mettre à jour le dossier 2023/118.",
]


def _ts(r):
    return (
        f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
    )


def _hex(r, lengths):
    return "".join(r.choice("0123456789abcdef") for _ in range(r.choice(lengths)))


NEGATIVE = {  # family: generator -> value
    "iso_timestamp": _ts,
    "datetime_space": lambda r: (
        f"20{r.randint(10, 30)}-{r.randint(1, 12):02d}-"
        f"{r.randint(1, 28):02d} {r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}"
    ),
    "eu_date": lambda r: f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.20{r.randint(10, 30)}",
    "us_date": lambda r: f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/20{r.randint(10, 30)}",
    "clock_time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
    "version_marked": lambda r: (
        r.choice(["v", "version ", "build ", "release "])
        + ".".join(str(r.randint(0, 20)) for _ in range(r.choice([3, 4])))
    ),
    "semver": lambda r: f"{r.randint(0, 9)}.{r.randint(0, 40)}.{r.randint(0, 99)}",
    "order_id": lambda r: r.choice(
        [f"ORD-2024-{r.randint(0, 999999):06d}", f"order {r.randint(2, 9)}{d(r, 9)}", f"#{d(r, 8)}"]
    ),
    "invoice_number": lambda r: r.choice(
        [
            f"INV-2024{r.randint(1, 12):02d}{r.randint(1, 28):02d}-{d(r, 4)}",
            f"invoice no. {d(r, 10)}",
        ]
    ),
    "isbn": lambda r: r.choice(
        [
            "ISBN 978-3-16-148410-0",
            "ISBN 0-306-40615-2",
            f"ISBN {r.choice(['978', '979'])}{d(r, 10)}",
            "ISBN-10: 0306406152",
        ]
    ),
    "hex_hash": lambda r: _hex(r, [32, 64]),
    "git_sha": lambda r: _hex(r, [7, 12, 40]),
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128))),
    "price": lambda r: r.choice(
        [
            f"${r.randint(1, 9)},{d(r, 3)}.{d(r, 2)}",
            f"{r.randint(1, 999)},{d(r, 2)} €",
            f"EUR {r.randint(10, 99999)}.00",
        ]
    ),
    "measurement": lambda r: r.choice(
        [
            f"{r.randint(1, 99)}.{r.randint(0, 9)} x {r.randint(1, 99)} cm",
            f"{r.randint(1, 9)} x {r.choice([250, 330, 500])} ml",
            f"{r.randint(100, 9999)} kg",
        ]
    ),
    "zip_code": lambda r: r.choice(
        [f"{d(r, 5)}", f"{d(r, 5)}-{d(r, 4)}", "SW1A 1AA", "75008 Paris", "10115 Berlin"]
    ),
    "large_number": lambda r: r.choice(
        [
            f"{r.randint(1, 9)} {d(r, 3)} {d(r, 3)}",
            f"{r.randint(1, 999):,}".replace(",", " ") + " 000",
            f"{r.randint(1, 99)},{d(r, 3)},{d(r, 3)}",
        ]
    ),
    "unix_time": lambda r: str(r.randint(1_500_000_000, 1_999_999_999)),
    "tracking_number": lambda r: r.choice(
        [f"1Z{d(r, 3)}AA{d(r, 10)}", f"tracking {d(r, 12)}", f"JD{d(r, 18)}"]
    ),
    "ratio_percent": lambda r: r.choice(
        [
            f"{r.randint(1, 99)}%",
            "16:9",
            f"{r.randint(1, 9)}:{r.randint(1, 9)}",
            f"{r.randint(1, 99)}.{r.randint(0, 9)} %",
        ]
    ),
    "page_range": lambda r: f"pp. {r.randint(1, 300)}-{r.randint(301, 600)}",
    "sku_code": lambda r: r.choice(
        [
            f"SKU {r.choice(['40', '50', '87'])}{d(r, 11)}",
            f"part no. {d(r, 3)}-{d(r, 4)}-{d(r, 2)}",
            f"LOT {d(r, 6)}",
        ]
    ),
    "coordinates_math": lambda r: r.choice(
        [
            f"{r.randint(0, 9)}.{d(r, 5)}",
            f"x = {r.randint(1, 999)}, y = {r.randint(1, 999)}",
            f"{r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
        ]
    ),
    "room_extension": lambda r: r.choice(
        [
            f"ext. {d(r, 4)}",
            f"room {r.randint(100, 999)}",
            f"gate B{r.randint(1, 60)}",
            f"flight LH{d(r, 4)}",
        ]
    ),
}

NEG_TEMPLATES = [  # 0-3 dev, 4-7 test
    "The batch finished at {v} without errors.",
    "See {v} in the release notes for details.",
    "Reference {v} was attached to the shipment.",
    "We measured {v} during the second run.",
    "Logged {v}; nothing else to report.",
    "According to the catalogue, {v} is correct.",
    "Value: {v}",
    "Le rapport mentionne {v} à la page suivante.",
]


def main() -> None:
    rows = []
    for split, templates, seed in (("dev", range(0, 4), 1), ("test", range(4, 8), 2)):
        for kind, (label, gen, noun) in POSITIVE.items():
            rng = random.Random(f"{seed}-{kind}")
            for t in templates:
                for _ in range(PER_TEMPLATE):
                    out = gen(rng)
                    value, pii = out if isinstance(out, tuple) else (out, out)
                    tpl = POS_TEMPLATES[t]
                    text = tpl.format(noun=noun, v=value)
                    start = tpl.index("{v}")
                    start = text.index(value, len(tpl[:start].format(noun=noun)))
                    start += value.index(pii)
                    rows.append(
                        {
                            "split": split,
                            "kind": kind,
                            "label": label,
                            "template": t,
                            "text": text,
                            "spans": [[start, start + len(pii), label]],
                        }
                    )
        for fam, gen in NEGATIVE.items():
            rng = random.Random(f"{seed}-{fam}")
            for t in templates:
                for _ in range(PER_TEMPLATE):
                    rows.append(
                        {
                            "split": split,
                            "kind": fam,
                            "label": None,
                            "template": t,
                            "text": NEG_TEMPLATES[t].format(v=gen(rng)),
                            "spans": [],
                        }
                    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w") as f:
        for i, row in enumerate(rows):
            f.write(json.dumps({"id": i, **row}, ensure_ascii=False) + "\n")
    n_pos = sum(r["label"] is not None for r in rows)
    print(
        f"wrote {OUT}: {n_pos} positives ({len(POSITIVE)} kinds), "
        f"{len(rows) - n_pos} negatives ({len(NEGATIVE)} families)"
    )


if __name__ == "__main__":
    main()
