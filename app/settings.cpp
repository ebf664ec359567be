#include "app/settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace kinora::app {

namespace {
const QString kDevice = QStringLiteral("engine/device");
const QString kThreads = QStringLiteral("engine/threads");
const QString kModelDir = QStringLiteral("engine/model_dir");
const QString kSteps = QStringLiteral("generation/default_steps");
const QString kGuidance = QStringLiteral("generation/default_guidance");
const QString kProjectsDir = QStringLiteral("projects/folder");
const QString kRecent = QStringLiteral("projects/recent");
const QString kAutosave = QStringLiteral("projects/autosave_seconds");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
} // namespace

Settings::Settings(const QString& iniFile, const QString& dataDir, QObject* parent)
    : QObject(parent),
      m_settings(iniFile.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(iniFile, QSettings::IniFormat)),
      m_dataDir(dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) : dataDir)
{
    QDir().mkpath(m_dataDir);
}

Settings::~Settings() = default;

QString Settings::recoveryDir() const { return QDir(m_dataDir).filePath(QStringLiteral("recovery")); }
QString Settings::scratchDir() const { return QDir(m_dataDir).filePath(QStringLiteral("scratch")); }

QString Settings::device() const { return m_settings->value(kDevice, QStringLiteral("auto")).toString(); }
void Settings::setDevice(const QString& device)
{
    m_settings->setValue(kDevice, device);
    Q_EMIT changed();
}

int Settings::threads() const { return m_settings->value(kThreads, 0).toInt(); }
void Settings::setThreads(int threads)
{
    m_settings->setValue(kThreads, threads);
    Q_EMIT changed();
}

int Settings::defaultSteps() const { return m_settings->value(kSteps, 0).toInt(); }
void Settings::setDefaultSteps(int steps)
{
    m_settings->setValue(kSteps, steps);
    Q_EMIT changed();
}

double Settings::defaultGuidance() const { return m_settings->value(kGuidance, -1.0).toDouble(); }
void Settings::setDefaultGuidance(double guidance)
{
    m_settings->setValue(kGuidance, guidance);
    Q_EMIT changed();
}

QString Settings::projectsDir() const
{
    if (m_settings->contains(kProjectsDir))
        return m_settings->value(kProjectsDir).toString();
    // ~/Documents where there is one; a fresh account may have none, and the save and
    // export dialogs would start in a folder that does not exist.
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileInfo(documents).isDir() ? documents : QDir::homePath();
}
void Settings::setProjectsDir(const QString& dir)
{
    m_settings->setValue(kProjectsDir, dir);
    Q_EMIT changed();
}

QString Settings::modelDir() const { return m_settings->value(kModelDir).toString(); }
void Settings::setModelDir(const QString& dir)
{
    m_settings->setValue(kModelDir, dir);
    Q_EMIT changed();
}

int Settings::autosaveSeconds() const { return m_settings->value(kAutosave, 20).toInt(); }
void Settings::setAutosaveSeconds(int seconds)
{
    m_settings->setValue(kAutosave, seconds);
    Q_EMIT changed();
}

QStringList Settings::recentProjects() const { return m_settings->value(kRecent).toStringList(); }

void Settings::addRecentProject(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = recentProjects();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxRecent)
        list.removeLast();
    m_settings->setValue(kRecent, list);
    Q_EMIT recentProjectsChanged();
}

void Settings::removeRecentProject(const QString& path)
{
    QStringList list = recentProjects();
    if (list.removeAll(QFileInfo(path).absoluteFilePath()) == 0 && list.removeAll(path) == 0)
        return;
    m_settings->setValue(kRecent, list);
    Q_EMIT recentProjectsChanged();
}

QByteArray Settings::windowGeometry() const { return m_settings->value(kGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) { m_settings->setValue(kGeometry, geometry); }
QByteArray Settings::windowState() const { return m_settings->value(kState).toByteArray(); }
void Settings::setWindowState(const QByteArray& state) { m_settings->setValue(kState, state); }

void Settings::sync() { m_settings->sync(); }

} // namespace kinora::app
