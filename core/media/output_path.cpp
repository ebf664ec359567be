// checkOutputPath, outside mp4_writer.cpp so that builds without FFmpeg have it too.

#include "media/mp4_writer.h"

#include <system_error>

namespace kinora::media {

Result<void> checkOutputPath(const std::filesystem::path& out)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status link = fs::symlink_status(out, ec);
    const fs::file_status target = fs::status(out, ec); // what a write would reach
    const char* what = nullptr;
    switch (target.type()) {
    case fs::file_type::not_found: // a new file, or a link to nothing: the link is replaced
    case fs::file_type::regular:
    case fs::file_type::none:
    case fs::file_type::unknown: // cannot tell (no permission): the write will say why
        return success();
    case fs::file_type::directory:
        what = "a folder";
        break;
    case fs::file_type::character:
    case fs::file_type::block:
        what = "a device";
        break;
    case fs::file_type::fifo:
        what = "a FIFO (named pipe)";
        break;
    case fs::file_type::socket:
        what = "a socket";
        break;
    default:
        what = "something other than a file";
        break;
    }
    return makeError(ErrorCode::InvalidArgument,
        "cannot write " + out.string() + ": it " + (fs::is_symlink(link) ? "links to " : "is ") + what
            + ", not a regular file");
}

} // namespace kinora::media
