#pragma once

// Private to core/prompt: the safety list (data/safety.tsv), parsed once from the copy
// compiled into the library.

#include "prompt/text.h"

#include <string>
#include <string_view>
#include <vector>

namespace kinora::prompt::detail {

struct SafetyEntry {
    std::string category; // a harmful category, "allow" or "trigger"
    std::string phrase;
};

class SafetyList {
public:
    explicit SafetyList(std::string_view tsv);

    const std::vector<SafetyEntry>& entries() const { return m_entries; }
    const std::vector<std::string>& errors() const { return m_errors; }
    const PhraseIndex& index() const { return m_index; }

private:
    std::vector<SafetyEntry> m_entries;
    std::vector<std::string> m_errors;
    PhraseIndex m_index;
};

const SafetyList& builtinSafetyList();

} // namespace kinora::prompt::detail
