#include "media/provenance.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#if KINORA_HAVE_EXEMPI
#include <exempi/xmp.h>
#include <exempi/xmpconsts.h>
#endif

namespace kinora::media {

namespace {

constexpr int kMaxDepth = 16; // records inside records (imports of exports of imports ...)

std::string stringField(const nlohmann::json& o, const char* key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool boolField(const nlohmann::json& o, const char* key, bool* value)
{
    const auto it = o.find(key);
    if (it == o.end() || !it->is_boolean())
        return false;
    *value = it->get<bool>();
    return true;
}

// Several parts together: all made by the model, all by a formula, or a composite.
SourceKind combine(const std::vector<SourceKind>& parts)
{
    if (parts.empty())
        return SourceKind::Unknown;
    bool anyModel = false, allTrained = true, allAlgorithmic = true;
    for (auto k : parts) {
        anyModel = anyModel || madeByModel(k);
        allTrained = allTrained && k == SourceKind::TrainedAlgorithmic;
        allAlgorithmic = allAlgorithmic && k == SourceKind::Algorithmic;
    }
    if (allTrained)
        return SourceKind::TrainedAlgorithmic;
    if (anyModel)
        return SourceKind::CompositeWithTrainedAlgorithmic;
    return allAlgorithmic ? SourceKind::Algorithmic : SourceKind::Unknown;
}

SourceKind kindOf(const nlohmann::json& record, int depth)
{
    if (!record.is_object() || depth > kMaxDepth)
        return SourceKind::Unknown;
    const std::string operation = stringField(record, "operation");
    if (operation == "import") {
        const auto inner = record.find("imported_record");
        return inner == record.end() ? SourceKind::Unknown : kindOf(*inner, depth + 1);
    }
    if (operation == "export") {
        const auto clips = record.find("clips");
        if (clips == record.end() || !clips->is_array())
            return SourceKind::Unknown;
        std::vector<SourceKind> parts;
        for (const auto& c : *clips)
            parts.push_back(kindOf(c, depth + 1));
        return combine(parts);
    }
    bool generated = false;
    if (!boolField(record, "ai_generated", &generated))
        return SourceKind::Unknown;
    if (!generated)
        return operation == "world" ? SourceKind::Algorithmic : SourceKind::Unknown;
    // Made by the model from sources: footage among them (an entry that says it is not
    // AI-made) makes the result a composite; entries that say nothing claim nothing.
    const auto sources = record.find("sources");
    if (sources != record.end() && sources->is_array())
        for (const auto& s : *sources) {
            bool sourceGenerated = true;
            if (s.is_object() && boolField(s, "ai_generated", &sourceGenerated) && !sourceGenerated)
                return SourceKind::CompositeWithTrainedAlgorithmic;
            bool composite = false;
            if (s.is_object() && boolField(s, "composite", &composite) && composite)
                return SourceKind::CompositeWithTrainedAlgorithmic;
        }
    return SourceKind::TrainedAlgorithmic;
}

// The prompts of a record and of the records inside it, each once, in order.
void collectPrompts(const nlohmann::json& record, int depth, std::vector<std::string>& out)
{
    if (!record.is_object() || depth > kMaxDepth)
        return;
    const std::string prompt = stringField(record, "prompt");
    if (!prompt.empty() && std::find(out.begin(), out.end(), prompt) == out.end())
        out.push_back(prompt);
    if (const auto inner = record.find("imported_record"); inner != record.end() && prompt.empty())
        collectPrompts(*inner, depth + 1, out);
    for (const char* parts : {"clips", "shots"}) // an export's clips, a storyboard's shots
        if (const auto list = record.find(parts); list != record.end() && list->is_array())
            for (const auto& c : *list)
                collectPrompts(c, depth + 1, out);
}

std::string utcNow()
{
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm {};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

#if KINORA_HAVE_EXEMPI
constexpr const char* kIptcExtNs = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

// Text XML can carry: valid UTF-8 without control characters (others become U+FFFD or go).
std::string xmlSafe(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                out.push_back(char(c));
            ++i;
            continue;
        }
        int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        bool ok = len > 0 && i + len <= in.size();
        uint32_t cp = ok ? (c & (0x7F >> len)) : 0;
        for (int k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(in[i + k]);
            ok = (cc & 0xC0) == 0x80;
            cp = (cp << 6) | (cc & 0x3F);
        }
        ok = ok && !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            && !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) && cp != 0xFFFE && cp != 0xFFFF;
        if (ok) {
            out.append(in.substr(i, len));
            i += len;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

// exempi keeps a process-wide toolkit: started once, on first use, and left running (its
// xmp_terminate would pull it from under another user in the same process). Its calls
// are serialised here.
std::mutex& toolkit()
{
    static std::mutex mutex;
    static std::once_flag once;
    std::call_once(once, [] {
        xmp_init();
        xmp_register_namespace(kIptcExtNs, "Iptc4xmpExt", nullptr);
    });
    return mutex;
}

struct XmpDeleter {
    void operator()(_Xmp* x) const { xmp_free(x); }
};
struct XmpFileDeleter {
    void operator()(_XmpFile* f) const
    {
        xmp_files_close(f, XMP_CLOSE_NOOPTION);
        xmp_files_free(f);
    }
};
struct XmpStringDeleter {
    void operator()(_XmpString* s) const { xmp_string_free(s); }
};
using XmpHolder = std::unique_ptr<_Xmp, XmpDeleter>;
using XmpFileHolder = std::unique_ptr<_XmpFile, XmpFileDeleter>;
using XmpStringHolder = std::unique_ptr<_XmpString, XmpStringDeleter>;

std::string errorText(const std::string& what)
{
    return what + " (XMP Toolkit error " + std::to_string(xmp_get_error()) + ")";
}
#endif

} // namespace

const char* digitalSourceTypeUri(SourceKind kind)
{
    switch (kind) {
    case SourceKind::TrainedAlgorithmic:
        return "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    case SourceKind::CompositeWithTrainedAlgorithmic:
        return "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
    case SourceKind::Algorithmic:
        return "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia";
    case SourceKind::Unknown:
        break;
    }
    return "";
}

bool madeByModel(SourceKind kind)
{
    return kind == SourceKind::TrainedAlgorithmic || kind == SourceKind::CompositeWithTrainedAlgorithmic;
}

SourceKind sourceKindOf(const nlohmann::json& record)
{
    return kindOf(record, 0);
}

Provenance provenanceFromRecord(const std::string& recordJson)
{
    Provenance p;
    const auto record = nlohmann::json::parse(recordJson, nullptr, false);
    if (!record.is_object())
        return p;
    p.kind = sourceKindOf(record);
    std::vector<std::string> prompts;
    collectPrompts(record, 0, prompts);
    for (const auto& prompt : prompts)
        p.description += (p.description.empty() ? "" : " / ") + prompt;
    p.createdAt = stringField(record, "created");
    return p;
}

#if KINORA_HAVE_EXEMPI

Result<void> writeXmp(const std::filesystem::path& file, const Provenance& provenance)
{
    std::lock_guard lock(toolkit());
    XmpHolder xmp(xmp_new_empty());
    if (!xmp)
        return makeError(ErrorCode::Internal, errorText("cannot create an XMP packet"));
    const std::string now = utcNow();
    bool ok = true;
    if (const char* uri = digitalSourceTypeUri(provenance.kind); *uri)
        ok = ok && xmp_set_property(xmp.get(), kIptcExtNs, "DigitalSourceType", uri, 0);
    const std::string tool = std::string("Kinora ") + KINORA_VERSION;
    ok = ok && xmp_set_property(xmp.get(), NS_XAP, "CreatorTool", tool.c_str(), 0);
    const std::string created = xmlSafe(provenance.createdAt.empty() ? now : provenance.createdAt);
    ok = ok && xmp_set_property(xmp.get(), NS_XAP, "CreateDate", created.c_str(), 0);
    ok = ok && xmp_set_property(xmp.get(), NS_XAP, "ModifyDate", now.c_str(), 0);
    ok = ok && xmp_set_property(xmp.get(), NS_XAP, "MetadataDate", now.c_str(), 0);
    if (!provenance.description.empty())
        ok = ok
            && xmp_set_localized_text(xmp.get(), NS_DC, "description", "", "x-default",
                xmlSafe(provenance.description).c_str(), 0);
    if (!ok)
        return makeError(ErrorCode::Internal, errorText("cannot fill the XMP packet"));

    // A smart handler only (MPEG-4, PNG, ...): never a blind packet scan of an unknown format.
    XmpFileHolder f(xmp_files_open_new(file.string().c_str(),
        XmpOpenFileOptions(XMP_OPEN_FORUPDATE | XMP_OPEN_USESMARTHANDLER)));
    if (!f)
        return makeError(ErrorCode::Io, errorText("cannot open " + file.string() + " to add XMP"));
    if (!xmp_files_can_put_xmp(f.get(), xmp.get()))
        return makeError(ErrorCode::Unsupported, errorText("cannot add XMP to " + file.string()));
    if (!xmp_files_put_xmp(f.get(), xmp.get()))
        return makeError(ErrorCode::Io, errorText("cannot add XMP to " + file.string()));
    auto* raw = f.release();
    const bool closed = xmp_files_close(raw, XMP_CLOSE_NOOPTION);
    xmp_files_free(raw);
    if (!closed)
        return makeError(ErrorCode::Io, errorText("cannot write the XMP into " + file.string()));
    return success();
}

Result<XmpSummary> readXmp(const std::filesystem::path& file)
{
    std::lock_guard lock(toolkit());
    XmpFileHolder f(xmp_files_open_new(file.string().c_str(), XmpOpenFileOptions(XMP_OPEN_READ | XMP_OPEN_ONLYXMP)));
    if (!f)
        return makeError(ErrorCode::Io, errorText("cannot open " + file.string() + " to read its XMP"));
    XmpHolder xmp(xmp_files_get_new_xmp(f.get()));
    if (!xmp)
        return makeError(ErrorCode::NotFound, file.string() + " has no XMP");
    XmpSummary s;
    auto get = [&](const char* ns, const char* name, std::string* out) {
        XmpStringHolder value(xmp_string_new());
        if (xmp_get_property(xmp.get(), ns, name, value.get(), nullptr))
            *out = xmp_string_cstr(value.get());
    };
    get(kIptcExtNs, "DigitalSourceType", &s.digitalSourceType);
    get(NS_XAP, "CreatorTool", &s.creatorTool);
    get(NS_XAP, "CreateDate", &s.createDate);
    XmpStringHolder description(xmp_string_new());
    if (xmp_get_localized_text(xmp.get(), NS_DC, "description", "", "x-default", nullptr, description.get(), nullptr))
        s.description = xmp_string_cstr(description.get());
    return s;
}

#else

Result<void> writeXmp(const std::filesystem::path& file, const Provenance&)
{
    return makeError(ErrorCode::Unsupported, "this build has no XMP support (exempi): cannot label " + file.string());
}

Result<XmpSummary> readXmp(const std::filesystem::path& file)
{
    return makeError(ErrorCode::Unsupported, "this build has no XMP support (exempi): cannot read " + file.string());
}

#endif

} // namespace kinora::media
