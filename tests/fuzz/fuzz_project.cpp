// Project files (.kinora) and the recovery copy (app/project_io.cpp): a project comes
// from another machine, another version or a half-written disk. The media folder beside
// it holds one real take, so references to it resolve.
#include "fuzz_util.h"
#include "app/frame_io.h"
#include "app/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace {

QTemporaryDir* folder()
{
    static auto* dir = [] {
        auto* d = new QTemporaryDir();
        kinora::fuzz::require(d->isValid(), "a temporary folder");
        const QString media = kinora::app::ProjectDocument::mediaDirFor(d->filePath("p.kinora"));
        QDir().mkpath(media);
        kinora::Video v;
        for (int i = 0; i < 3; ++i)
            v.frames.emplace_back(8, 8);
        kinora::fuzz::require(static_cast<bool>(kinora::app::writeFrames(media + "/take1.kframes", v)), "a take");
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    const QString path = folder()->filePath("p.kinora");
    {
        QFile f(path);
        fuzz::require(f.open(QIODevice::WriteOnly | QIODevice::Truncate), "write the project");
        f.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size));
    }
    app::ProjectDocument project;
    if (auto jobs = project.load(path)) {
        // A project that opens is one the studio can show: every clip's take exists.
        for (int i = 0; i < static_cast<int>(project.clips().size()); ++i)
            fuzz::require(project.clipStart(i) >= 0, "clips start inside the timeline");
        fuzz::require(project.totalFrames() >= 0, "a timeline of frames");
    }
    app::ProjectDocument recovered;
    QString draft;
    (void)recovered.loadRecovery(path, &draft);
    return 0;
}
