#include "pipeline/storyboard.h"

#include "pipeline/clip_ops.h"
#include "prompt/prompt.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace kinora::pipeline {

namespace {

Error invalid(const std::string& message) { return makeError(ErrorCode::InvalidArgument, message); }

std::string shotName(size_t index) { return "shot " + std::to_string(index + 1); }

std::string formatNumber(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

} // namespace

const char* shotJoinName(ShotJoin join) { return join == ShotJoin::Continue ? "continue" : "cut"; }

Result<Storyboard> parseStoryboard(const std::string& text)
{
    const auto root = nlohmann::json::parse(text, nullptr, false);
    if (root.is_discarded())
        return invalid("the storyboard is not valid JSON");
    if (!root.is_object())
        return invalid("the storyboard must be a JSON object with \"shots\"");
    Storyboard board;
    for (const auto& [key, value] : root.items()) {
        if (key == "seed") {
            if (!value.is_number_unsigned())
                return invalid("\"seed\" must be a whole number of 0 or more");
            board.seed = value.get<std::uint64_t>();
        } else if (key != "shots") {
            return invalid("unknown field \"" + key + "\" in the storyboard (it has \"seed\" and \"shots\")");
        }
    }
    const auto shots = root.find("shots");
    if (shots == root.end() || !shots->is_array() || shots->empty())
        return invalid("the storyboard needs \"shots\": a list of {\"prompt\", \"seconds\", \"join\"}");
    if (shots->size() > size_t(kMaxShots))
        return invalid("the storyboard has " + std::to_string(shots->size()) + " shots; at most " +
                       std::to_string(kMaxShots) + " are taken");
    double total = 0;
    for (size_t i = 0; i < shots->size(); ++i) {
        const auto& s = (*shots)[i];
        const std::string name = shotName(i);
        if (!s.is_object())
            return invalid(name + " must be an object with \"prompt\", \"seconds\" and \"join\"");
        Shot shot;
        shot.join = i == 0 ? ShotJoin::Cut : ShotJoin::Continue;
        bool hasPrompt = false;
        for (const auto& [key, value] : s.items()) {
            if (key == "prompt") {
                if (!value.is_string())
                    return invalid(name + ": \"prompt\" must be text");
                shot.prompt = value.get<std::string>();
                hasPrompt = true;
            } else if (key == "seconds") {
                if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 0) ||
                    value.get<double>() > kMaxSeconds)
                    return invalid(name + ": \"seconds\" must be a number above 0 and at most " +
                                   formatNumber(kMaxSeconds) + (value.is_number() ? " (it is " + formatNumber(value.get<double>()) + ")" : ""));
                shot.seconds = value.get<double>();
            } else if (key == "seed") {
                if (!value.is_number_unsigned())
                    return invalid(name + ": \"seed\" must be a whole number of 0 or more");
                shot.seed = value.get<std::uint64_t>();
            } else if (key == "join") {
                const std::string join = value.is_string() ? value.get<std::string>() : std::string();
                if (join == "continue")
                    shot.join = ShotJoin::Continue;
                else if (join == "cut")
                    shot.join = ShotJoin::Cut;
                else
                    return invalid(name + ": \"join\" must be \"continue\" or \"cut\"");
            } else {
                return invalid(name + ": unknown field \"" + key + "\" (a shot has \"prompt\", \"seconds\", \"join\" and \"seed\")");
            }
        }
        if (!hasPrompt)
            return invalid(name + ": \"prompt\" is missing");
        if (const auto check = prompt::checkPrompt(shot.prompt, true, "\"prompt\""); !check.ok())
            return invalid(name + ": " + check.message);
        if (i == 0 && shot.join == ShotJoin::Continue)
            return invalid(name + ": \"join\" is \"continue\", but there is no shot before it to continue");
        total += shot.seconds;
        board.shots.push_back(std::move(shot));
    }
    if (total > kMaxSeconds)
        return invalid("the storyboard's shots add up to " + formatNumber(total) + " seconds; at most " +
                       formatNumber(kMaxSeconds) + " are made");
    return board;
}

nlohmann::json storyboardJson(const Storyboard& board)
{
    nlohmann::json shots = nlohmann::json::array();
    for (const auto& s : board.shots) {
        nlohmann::json shot{{"prompt", s.prompt}, {"seconds", s.seconds}, {"join", shotJoinName(s.join)}};
        if (s.seed)
            shot["seed"] = *s.seed;
        shots.push_back(shot);
    }
    nlohmann::json out{{"shots", shots}};
    if (board.seed)
        out["seed"] = *board.seed;
    return out;
}

} // namespace kinora::pipeline
