#pragma once

// The prompt expander ("recaptioning") and the safety check.
//
// Users do not write in the world's vocabulary (docs/captions.md). expandPrompt reads
// what they wrote through a lexicon of other words for every attribute (crimson,
// sphere, plummet, night sky, ...), corrects small misspellings, fills what the prompt
// leaves open from the seed, and returns the canonical caption the model will see, so
// the studio can show it. checkSafety refuses prompts for harmful content before any
// of that. The word lists live in core/prompt/data/ and are compiled in.
//
// Negations ("a ball that is not red") are out of scope: the words are read as if the
// negation were not there.

#include "util/result.h"
#include "world/world.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinora::prompt {

struct Expansion {
    std::string original;
    std::string caption; // canonical caption the model will see (docs/captions.md)
    world::Scene scene; // what was understood (seed = the seed used for defaults)
    std::vector<std::string> unknownWords; // words it could not place (not stop words)
    // Attributes filled by seeded defaults: "colour", "shape", "motion", "direction",
    // "placement", "background"; those of a second object start with "second ".
    std::vector<std::string> defaulted;
    std::vector<std::pair<std::string, std::string>> corrections; // misspelling -> word it was read as
    // One-line remarks for the user: what was understood but could not be kept (a third
    // object, a second colour for one object, a colour hard to see on the background).
    std::vector<std::string> notes;
};

// Deterministic: the same prompt and seed always give the same expansion. An empty or
// blank prompt, one that is not UTF-8 or one over kMaxPromptChars is an InvalidArgument error.
Result<Expansion> expandPrompt(std::string_view prompt, std::uint64_t seed);

// Refuses text that is not well-formed UTF-8 (a stray Latin-1 byte, a cut-off character),
// naming `what` and the first bad byte: prompts go into generation records, which are
// JSON and so hold only UTF-8.
Result<void> checkUtf8(std::string_view text, std::string_view what);

struct SafetyVerdict {
    bool allowed = true;
    std::string category; // "violence", "gore", "sexual", "hate", "self-harm", "real-person"
    std::string matched; // the words of the prompt that matched, as written
    std::string message; // one line for the user, naming the category
};

SafetyVerdict checkSafety(std::string_view prompt);

// The check every operation's prompt goes through before any work, in the CLI and the
// studio alike: blank (a problem only where the operation needs a prompt: generate;
// extend, bridge and fill go on from their sources), not UTF-8, or refused by
// checkSafety. `what` names the prompt in the UTF-8 message ("--prompt" in the CLI).
enum class PromptProblem { None, Empty, NotUtf8, TooLong, Refused };
// The longest prompt taken, in characters (Unicode code points): far more than the model
// reads (its captions are a line), short enough that no pasted file stalls the expander.
inline constexpr std::size_t kMaxPromptChars = 2000;
struct PromptCheck {
    PromptProblem problem = PromptProblem::None;
    bool blank = false;   // nothing but white space (not a problem unless required)
    std::string message;  // one line for the user, in English (the studio translates Empty)
    bool ok() const { return problem == PromptProblem::None; }
};
PromptCheck checkPrompt(std::string_view prompt, bool required, std::string_view what = "the prompt");

// Classification of the words of a prompt, read in context as expandPrompt reads them,
// for the studio to mark known and unknown words.
enum class WordKind {
    Colour,
    Shape,
    Size,
    Motion,
    Speed,
    Background,
    Placement,
    Connector,
    StopWord,
    Unknown
};

struct WordInfo {
    std::string word; // as written in the prompt; a phrase ("night sky") is one entry
    WordKind kind = WordKind::Unknown;
    std::string canonical; // the world word it stands for ("red", "starry night", "moving up"), or ""
    std::size_t begin = 0, end = 0; // byte span in the prompt
};

std::vector<WordInfo> analyseWords(std::string_view prompt);

// What the model reads for a negative prompt: only the words the lexicon places, in world
// words. No seeded defaults: filling in what it leaves open would steer away from things
// the user never named.
std::string negativeCaption(std::string_view negative);

std::string_view wordKindName(WordKind kind); // "colour", "shape", ..., "unknown"

// Number of entries (phrase and meaning) in the lexicon.
std::size_t lexiconSize();

} // namespace kinora::prompt
