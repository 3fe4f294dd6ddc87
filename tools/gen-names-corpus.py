#!/usr/bin/env python3
"""gen-names-corpus.py LEXICON ARTICLE WORDS: print an English news-style
text of about WORDS words for tools/bench-names.sh.  Sentences come from
templates filled with entities of the names lexicon (house spellings, with
about one variant in 200 names, possessives and capitals), plus the
example article's own sentences.  Deterministic (fixed seed)."""
import random
import sys

lex, article, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(124464)
ents = {}
for line in open(lex, encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    c = (line.rstrip("\n").split("\t") + ["-"] * 10)[:10]
    forms = [c[2]] + [x for x in c[3].split("|") if x and x != "-"]
    variants = [x for x in c[4].split("|") if x and x != "-"]
    ents.setdefault(c[1], []).append((forms, variants))

def pick(kind):
    forms, variants = rng.choice(ents[kind])
    if variants and rng.random() < 0.005:
        return rng.choice(variants)
    return rng.choice(forms)

people = lambda: pick("person")
place = lambda: pick(rng.choice(["city", "country", "province", "region"]))
group = lambda: pick("group")
agency = lambda: pick("agency")
org = lambda: pick("org")
unknown = ["Medinsky", "Shoukry", "Safadi", "Bogdan", "Kovalenko",
           "Abdollahi", "Rezaei", "Mirzaei", "Haddad", "Karimi"]
verbs = ["said", "told reporters", "stressed", "noted", "added", "announced",
         "warned", "underlined", "insisted", "confirmed"]
topics = ["regional security", "the ceasefire", "energy cooperation",
          "trade and tourism", "the nuclear talks", "the refugee crisis",
          "reconstruction", "the fight against terrorism", "grain exports",
          "the transit corridor", "oil prices", "sanctions relief"]
days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"]
templates = [
    lambda: f"{people()} {rng.choice(verbs)} on {rng.choice(days)} that {place()} and {place()} would keep working together on {rng.choice(topics)}.",
    lambda: f"Speaking at a press conference in {place()}, {people()} said the talks with {people()} had been constructive and frank.",
    lambda: f"According to {agency()}, {people()} met {people()} to discuss {rng.choice(topics)} and the situation in {place()}.",
    lambda: f"{place().upper()}, Mar. {rng.randint(1, 28)} ({agency()}) – {people()} {rng.choice(verbs)} that {group()} fighters had withdrawn from {place()}.",
    lambda: f"The {org()} called for restraint after clashes between {group()} and government forces near {place()}.",
    lambda: f"{place()}'s delegation, led by {people()}, arrived in {place()} late on {rng.choice(days)} for {rng.randint(2, 5)} days of talks.",
    lambda: f"Officials from {place()}, {place()} and {place()} signed {rng.randint(2, 30)} documents on {rng.choice(topics)} and {rng.choice(topics)}.",
    lambda: f"Analyst {rng.choice(unknown)} told {agency()} that {people()}'s visit to {place()} marked a new stage in relations.",
    lambda: f"\u201cWe discussed {rng.choice(topics)} and {rng.choice(topics)},\u201d {people()} said, adding that {place()} was ready to help.",
    lambda: f"Trade between {place()} and {place()} rose by {rng.randint(2, 90)} percent last year to ${rng.randint(1, 40)}.{rng.randint(0, 9)} billion.",
]
art = [l.strip() for l in open(article, encoding="utf-8") if len(l.split()) > 8]
out, words = [], 0
w = sys.stdout.write
while words < target:
    para = []
    for _ in range(rng.randint(3, 6)):
        s = rng.choice(art) if rng.random() < 0.08 else rng.choice(templates)()
        para.append(s)
        words += len(s.split())
    w(" ".join(para) + "\n\n")
