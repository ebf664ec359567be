#pragma once

// Internal to kinora_media: a finished file is written under a hidden temporary name in
// its own folder and renamed over the target only when complete.

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include "media/mp4_writer.h" // checkOutputPath
#include "media/provenance.h"

namespace kinora::media::detail {

// Removes the temporary file unless the write was committed; declare it before the
// objects that write the file so it runs after they have closed it.
class TempFile {
public:
    explicit TempFile(std::filesystem::path path)
        : m_path(std::move(path))
    {
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile()
    {
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_path, ec);
        }
    }
    const std::filesystem::path& path() const { return m_path; }

    // The finished file labelled with its XMP (provenance.h) and renamed over `target` (the
    // absolute form of `out`, which messages name). `out` is checked again first: the
    // writing took a while, and the rename would replace whatever is there now.
    Result<void> labelAndCommit(const std::filesystem::path& target, const std::filesystem::path& out,
        const Provenance& provenance)
    {
        if (auto labelled = writeXmp(m_path, provenance); !labelled)
            return makeError(labelled.error().code, "cannot write " + out.string() + ": " + labelled.error().message);
        return commit(target, out);
    }

    // The finished file renamed over `target`, after checking `out` again.
    Result<void> commit(const std::filesystem::path& target, const std::filesystem::path& out)
    {
        if (auto ok = checkOutputPath(out); !ok)
            return ok;
        std::error_code ec;
        std::filesystem::rename(m_path, target, ec);
        if (ec)
            return makeError(ErrorCode::Io, "cannot write " + out.string() + ": " + ec.message());
        m_committed = true;
        return success();
    }

private:
    std::filesystem::path m_path;
    bool m_committed = false;
};

inline std::filesystem::path temporaryPathFor(const std::filesystem::path& out)
{
    std::random_device device;
    const auto tag = std::to_string(std::uniform_int_distribution<unsigned>(0, 0xffffff)(device));
    // Hidden, and with the final extension after it so nothing mistakes it for a finished file.
    return out.parent_path() / ("." + out.filename().string() + "." + tag + ".part");
}

// `out` made absolute against the working folder when it has no folder part.
inline std::filesystem::path absoluteTarget(const std::filesystem::path& out)
{
    std::error_code ec;
    return out.has_parent_path() ? out : std::filesystem::current_path(ec) / out;
}

} // namespace kinora::media::detail
