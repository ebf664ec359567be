#!/usr/bin/env python3
"""Offline helpers that mine Debian's WordNet 3.0 (apt-get install wordnet-base)
for the prompt lexicon. See README.md.

  wordnet_tools.py candidates   lists WordNet synonyms and hyponyms of the world's
                                words that lexicon.tsv does not have yet, for a
                                person to review and copy in by hand
  wordnet_tools.py known-words  writes known_words.txt: common English words that
                                lie within spelling-correction distance of a
                                lexicon word, so that they are never "corrected"
"""
import os
import re
import sys

WN = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")
HERE = os.path.dirname(os.path.abspath(__file__))


def load_data(pos):
    synsets = {}
    with open(f"{WN}/data.{pos}", encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            head, _, gloss = line.partition("|")
            fields = head.split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i] for i in range(count)]
            k = 4 + 2 * count
            pointers = []
            for _ in range(int(fields[k])):
                pointers.append((fields[k + 1], fields[k + 2], fields[k + 3]))
                k += 4
            synsets[fields[0]] = {"lexfile": int(fields[1]), "words": words, "pointers": pointers,
                                  "gloss": gloss.strip()}
    return synsets


def load_index(pos):
    index = {}
    with open(f"{WN}/index.{pos}", encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split()
            synset_count, pointer_count = int(fields[2]), int(fields[3])
            tagged = int(fields[5 + pointer_count])
            index[fields[0]] = (tagged, fields[6 + pointer_count:6 + pointer_count + synset_count])
    return index


def clean(lemma):
    return re.sub(r"\(.*\)$", "", lemma).replace("_", " ").replace("-", " ").lower()


def read_lexicon():
    phrases, tokens = set(), set()
    with open(os.path.join(HERE, "lexicon.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            phrase = line.split("\t")[0]
            phrases.add(phrase)
            tokens.update(phrase.split())
    with open(os.path.join(HERE, "stopwords.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                tokens.add(line.strip())
    return phrases, tokens


# (pos, seed lemma, lexicon file of the sense to follow, kind, canonical)
SEEDS = [
    ("n", "red", 7, "colour", "red"), ("n", "orange", 7, "colour", "orange"),
    ("n", "yellow", 7, "colour", "yellow"), ("n", "green", 7, "colour", "green"),
    ("n", "blue", 7, "colour", "blue"), ("n", "purple", 7, "colour", "purple"),
    ("n", "white", 7, "colour", "white"), ("n", "pink", 7, "colour", "red"),
    ("n", "brown", 7, "colour", "orange"), ("n", "gray", 7, "background", "gray"),
    ("n", "black", 7, "background", "black"),
    ("a", "small", 0, "size", "small"), ("a", "large", 0, "size", "large"),
    ("a", "fast", 0, "speed", "fast"), ("a", "slow", 0, "speed", "slow"),
    ("a", "round", 0, "shape", "circle"), ("a", "still", 0, "motion", "still"),
    ("v", "rise", 38, "motion", "up"), ("v", "descend", 38, "motion", "down"),
    ("v", "spin", 38, "motion", "spin"), ("v", "bounce", 38, "motion", "bounce"),
    ("v", "fall", 38, "motion", "fall"), ("v", "orbit", 38, "motion", "orbit"),
    ("v", "expand", 30, "motion", "grow"), ("v", "shrink", 30, "motion", "shrink"),
    ("v", "travel", 38, "motion", "travel"),
]


def candidates():
    names = {"n": "noun", "a": "adj", "v": "verb"}
    data = {p: load_data(names[p]) for p in names}
    index = {p: load_index(names[p]) for p in names}
    phrases, _ = read_lexicon()
    for pos, lemma, lexfile, kind, canonical in SEEDS:
        found = []
        for offset in index[pos].get(lemma, (0, []))[1]:
            synset = data[pos][offset]
            if lexfile and synset["lexfile"] != lexfile:
                continue
            words = list(synset["words"])
            for symbol, target, target_pos in synset["pointers"]:
                # hyponyms (~) for nouns and verbs, similar-to (&) for adjectives
                if symbol in ("~", "&") and target_pos in (pos, "s"):
                    words += data[pos][target]["words"]
            found += [clean(w) for w in words]
            break  # the first sense in lexfile is the one the world means
        new = sorted({w for w in found if w not in phrases})
        for w in new:
            print(f"{w}\t{kind}\t{canonical}")


def osa_distance(a, b, bound):
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def bound_for(word):
    # Must match core/prompt/text.cpp: exact below 4 letters, 1 edit up to 6, 2 beyond.
    return 0 if len(word) < 4 else (1 if len(word) <= 6 else 2)


def deletions(word, depth):
    """word with up to depth letters deleted (symmetric-delete candidate keys)."""
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def inflections(lemma):
    """The plural, -ing and -ed forms the prompt reader strips (core/prompt/text.cpp)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ing", lemma + "ed"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy":
        forms |= {lemma + lemma[-1] + "ing", lemma + lemma[-1] + "ed"}
    return forms


def known_words():
    common = set()
    for pos in ("noun", "verb", "adj", "adv"):
        for lemma, (tagged, _) in load_index(pos).items():
            if tagged > 0 and re.fullmatch(r"[a-z]+", lemma):
                common.add(lemma)
    _, every_word = read_lexicon()
    # Corrections never land on words under 3 letters (Lexicon::correct).
    vocabulary = {v for v in every_word if re.fullmatch(r"[a-z]+", v) and len(v) >= 3}
    keys = {}
    for v in vocabulary:
        for key in deletions(v, 2):
            keys.setdefault(key, set()).add(v)
    out = []
    for lemma in sorted(common - every_word):
        # A lemma is kept when it or one of its inflections could be "corrected" into a
        # lexicon word: the reader then leaves every form of it alone.
        near = False
        for form in inflections(lemma):
            bound = bound_for(form)
            if not bound or form in vocabulary:
                continue
            candidates = set()
            for key in deletions(form, bound):
                candidates |= keys.get(key, set())
            if any(osa_distance(form, v, bound) <= bound for v in candidates):
                near = True
                break
        if near:
            out.append(lemma)
    with open(os.path.join(HERE, "known_words.txt"), "w", encoding="utf-8") as f:
        f.write("# Generated by wordnet_tools.py known-words from WordNet 3.0: common English words\n")
        f.write("# (tagged in WordNet's sense-tagged corpus) that, or whose plural, -ing or -ed form,\n")
        f.write("# is within spelling-correction distance of a lexicon word. The prompt reader takes\n")
        f.write("# them as written and never corrects them.\n")
        for w in out:
            f.write(w + "\n")
    print(f"{len(out)} words", file=sys.stderr)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "candidates":
        candidates()
    elif command == "known-words":
        known_words()
    else:
        sys.exit(__doc__)
