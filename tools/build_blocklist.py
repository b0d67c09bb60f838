"""Build kiosk/data/common-passwords.txt (run by hand; the output is committed).

Sources: the 10,000 most frequent passwords of zxcvbn's frequency lists (MIT licence,
``pip download zxcvbn``), a list of common French password words written here, and the
variants that a composition rule pushes people to (``Password1!``, ``Azerty123!``).

Usage: python tools/build_blocklist.py PATH_TO_UNPACKED_ZXCVBN > kiosk/data/common-passwords.txt
"""

from __future__ import annotations

import sys

FRENCH = [
    "azerty",
    "azertyuiop",
    "motdepasse",
    "motdepass",
    "bonjour",
    "soleil",
    "marseille",
    "paris",
    "lyon",
    "toulouse",
    "nice",
    "provence",
    "om",
    "olympique",
    "allezlom",
    "doudou",
    "chouchou",
    "loulou",
    "nounours",
    "chocolat",
    "coucou",
    "amour",
    "jetaime",
    "jtm",
    "mamour",
    "bebe",
    "bisous",
    "princesse",
    "cheval",
    "poisson",
    "papillon",
    "tigrou",
    "titi",
    "toto",
    "tata",
    "nicolas",
    "camille",
    "julien",
    "thomas",
    "sophie",
    "marie",
    "pierre",
    "jeanne",
    "louise",
    "lucas",
    "hugo",
    "lea",
    "emma",
    "chloe",
    "manon",
    "sarah",
    "laura",
    "julie",
    "pauline",
    "mathieu",
    "antoine",
    "alexandre",
    "maxime",
    "vincent",
    "sebastien",
    "celine",
    "isabelle",
    "nathalie",
    "sandrine",
    "stephanie",
    "valerie",
    "christophe",
    "frederic",
    "philippe",
    "france",
    "francais",
    "liberte",
    "vacances",
    "football",
    "foot",
    "rugby",
    "musique",
    "printemps",
    "automne",
    "hiver",
    "ete",
    "bienvenue",
    "salut",
    "merci",
    "voiture",
    "maison",
    "famille",
    "enfant",
    "enfants",
    "chat",
    "chien",
    "poupette",
    "aixenprovence",
    "aubagne",
    "martigues",
    "laciotat",
    "cassis",
    "velaux",
    "vitrolles",
    "istres",
    "salon",
    "eauxdemarseille",
    "eau",
    "compteur",
    "abonne",
    "client",
    "espaceclient",
    "agence",
    "facture",
    "contrat",
    "qwertz",
    "qwerty",
    "wxcvbn",
    "azerty1",
    "aqwzsx",
    "azertyui",
    "sécurité",
    "securite",
    "secret",
]

SUFFIXES = [
    "1!",
    "12!",
    "123!",
    "1234!",
    "13!",
    "13@",
    "2023!",
    "2024!",
    "2025!",
    "2026!",
    "!1",
    "@1",
    "@123",
    "#1",
    "1*",
    "01!",
    "00!",
    "$1",
    "1?",
    "1.",
]


def main(zxcvbn_dir: str) -> None:
    sys.path.insert(0, zxcvbn_dir)
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-not-found,import-untyped,unused-ignore]

    common = list(FREQUENCY_LISTS["passwords"][:10000])
    words = set(common) | set(FRENCH)
    bases = [w for w in common[:300] if w.isalpha() and len(w) >= 4] + FRENCH
    for base in bases:
        for suffix in SUFFIXES:
            words.add(base + suffix)
    print("# Common passwords refused by the kiosk (case-insensitive).")
    print(
        "# Built by tools/build_blocklist.py from zxcvbn's frequency lists (MIT) and French words."
    )
    for word in sorted(words):
        print(word)


if __name__ == "__main__":
    main(sys.argv[1])
