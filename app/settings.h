#pragma once

// The studio's settings: one injected object with a typed accessor per key; each key
// and its default are written once, here and in settings.cpp. No global instance.

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace kinora::app {

class Settings : public QObject {
    Q_OBJECT

public:
    // iniFile empty: the platform's usual place; dataDir empty: the app's local data
    // folder (autosave, scratch media). Tests pass temporary ones.
    explicit Settings(const QString& iniFile = {}, const QString& dataDir = {}, QObject* parent = nullptr);
    ~Settings() override;

    QString dataDir() const { return m_dataDir; }
    QString recoveryDir() const;
    QString scratchDir() const;

    QString device() const; // auto | cpu | cuda
    void setDevice(const QString& device);
    int threads() const; // 0: every core
    void setThreads(int threads);
    int defaultSteps() const; // 0: the model pack's default
    void setDefaultSteps(int steps);
    double defaultGuidance() const; // < 0: the model pack's default
    void setDefaultGuidance(double guidance);
    QString projectsDir() const;
    void setProjectsDir(const QString& dir);
    QString modelDir() const; // empty: the built-in pack
    void setModelDir(const QString& dir);
    int autosaveSeconds() const;
    void setAutosaveSeconds(int seconds);

    QStringList recentProjects() const;
    void addRecentProject(const QString& path);
    void removeRecentProject(const QString& path);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

    void sync();

    static constexpr int kMaxRecent = 10;

Q_SIGNALS:
    void changed();
    void recentProjectsChanged();

private:
    std::unique_ptr<QSettings> m_settings;
    QString m_dataDir;
};

} // namespace kinora::app
