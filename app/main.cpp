// kinora: the studio. `kinora [project.kinora]`, `kinora --version`.

#include "app/settings.h"
#include "app/studio.h"
#include "app/ui_bench.h"
#include "media/ffmpeg_log.h"
#include "pipeline/engine.h"
#include "ui/main_window.h"

#include <csignal>
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    // A write past the file-size limit (ulimit -f) fails with "File too large" and a message,
    // the way a full disk does, instead of killing the studio with unsaved work.
    std::signal(SIGXFSZ, SIG_IGN);
    // Answer --version without starting a GUI (works with no display).
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("kinora %s\n", KINORA_VERSION);
            return 0;
        }

    // FFmpeg quiet below errors, its last error line kept for our messages: the studio's
    // choice for the whole process, Qt Multimedia's FFmpeg included.
    kinora::media::installFfmpegLog();
    // Freed tensors stay in the process for the next sampling step instead of being
    // mapped and zeroed again by the kernel each time.
    kinora::pipeline::Engine::keepFreedMemory();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Kinora"));
    QApplication::setApplicationName(QStringLiteral("kinora"));
    QApplication::setApplicationDisplayName(QStringLiteral("Kinora"));
    QApplication::setApplicationVersion(QStringLiteral(KINORA_VERSION));
    // Matches installer/io.kinora.Kinora.desktop, so desktops show its icon and group windows.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.kinora.Kinora"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.kinora.Kinora")));

    // Translations built from translations/*.ts, when present beside the program or in
    // the resources.
    QTranslator translator;
    const QString appDir = QCoreApplication::applicationDirPath();
    for (const QString& dir : {QStringLiteral(":/i18n"), appDir + QStringLiteral("/../share/kinora/translations"),
                               appDir + QStringLiteral("/translations"), appDir})
        if (translator.load(QLocale(), QStringLiteral("kinora"), QStringLiteral("_"), dir)) {
            QApplication::installTranslator(&translator);
            break;
        }
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Kinora: a text-to-video studio"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QApplication::translate("main", "A .kinora project to open."));
    QCommandLineOption benchUi(QStringLiteral("bench-ui"),
                               QApplication::translate("main", "Measure event-loop stalls during generations; prints JSON."));
    QCommandLineOption benchGenerations(QStringLiteral("bench-generations"),
                                        QApplication::translate("main", "Generations for --bench-ui (default 3)."),
                                        QStringLiteral("n"), QStringLiteral("3"));
    QCommandLineOption benchSaveTakes(
        QStringLiteral("bench-save-takes"),
        QApplication::translate("main", "--bench-ui measures Save As of a project of this many 10-s takes while a prompt is typed."),
        QStringLiteral("n"), QStringLiteral("0"));
    parser.addOption(benchUi);
    parser.addOption(benchGenerations);
    parser.addOption(benchSaveTakes);
    parser.process(app);

    kinora::app::Settings settings;
    kinora::app::Studio studio(&settings);
    studio.loadModel();
    kinora::ui::MainWindow window(&studio);
    window.show();

    if (parser.isSet(benchUi)) {
        kinora::app::UiBenchOptions options;
        options.generations = std::max(1, parser.value(benchGenerations).toInt());
        options.saveTakes = std::clamp(parser.value(benchSaveTakes).toInt(), 0, 1000);
        options.save = [&window](const QString& path) { return window.saveProjectTo(path); };
        options.inspectJoin = [&window](int index) { window.inspectJoin(index); };
        const int code = kinora::app::runUiBench(studio, options);
        studio.shutdown();
        return code;
    }

    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty())
        window.openProjectFile(args.first());
    else
        QTimer::singleShot(0, &window, &kinora::ui::MainWindow::offerRecovery);
    return app.exec();
}
