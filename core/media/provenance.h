#pragma once

// Provenance that other tools read: XMP (written with exempi, Adobe's XMP Toolkit) in the
// MP4s and PNG posters Kinora writes, carrying IPTC's digital source type
// (http://cv.iptc.org/newscodes/digitalsourcetype/), the tool and version, the creation
// time and the prompt. exiftool, exempi and other XMP readers read it back; the full
// generation record stays in the MP4's "comment" tag (and the PNG's "Comment" text chunk)
// for Kinora itself. See docs/provenance.md.

#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "util/result.h"

namespace kinora::media {

// What made the pixels, in IPTC's terms.
enum class SourceKind {
    Unknown,                          // no Kinora record, or footage: nothing is claimed
    TrainedAlgorithmic,               // made by the model (trainedAlgorithmicMedia)
    CompositeWithTrainedAlgorithmic,  // footage and model-made frames together
    Algorithmic,                      // rendered by a formula, no training data (the world renderer)
};

// The IPTC code's URI; "" for Unknown.
const char* digitalSourceTypeUri(SourceKind kind);
// Whether the model made some or all of the pixels.
bool madeByModel(SourceKind kind);

// The kind a Kinora generation record describes: a generation and what it was made from
// (a source clip with no record, or one that says it is not AI-made, makes a composite),
// an import (what the imported file's own record says), an export (what its clips say),
// a world clip. Anything else, or malformed JSON of any shape: Unknown. Never throws.
SourceKind sourceKindOf(const nlohmann::json& record);

struct Provenance {
    SourceKind kind = SourceKind::Unknown;
    std::string description; // dc:description: the prompt(s)
    std::string createdAt;   // xmp:CreateDate, ISO 8601; "" = now
};

// From a record as stored in a clip ("" or text that is not JSON: Unknown, no description).
Provenance provenanceFromRecord(const std::string& recordJson);

// Adds XMP to a finished MP4 or PNG in place: the digital source type (when known),
// xmp:CreatorTool "Kinora <version>", xmp:CreateDate, xmp:ModifyDate, xmp:MetadataDate and
// dc:description. Errors: Io (the file cannot be opened or rewritten), Unsupported (a
// format exempi cannot write, or a build without exempi).
Result<void> writeXmp(const std::filesystem::path& file, const Provenance& provenance);

// What writeXmp wrote, read back with exempi (fields absent from the file stay "").
struct XmpSummary {
    std::string digitalSourceType;
    std::string creatorTool;
    std::string createDate;
    std::string description;
};
// Errors: NotFound (no XMP in the file), Io (cannot open it), Unsupported (no exempi).
Result<XmpSummary> readXmp(const std::filesystem::path& file);

} // namespace kinora::media
