#pragma once

// The studio as the GUI tests drive it (offscreen): a tiny random model pack, settings
// in a temporary folder, and a real Studio and MainWindow on them. A test class derives
// from it and calls these from its initTestCase, init and cleanup slots.

#include "app/studio.h"
#include "pipeline/engine.h"
#include "ui/main_window.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace kinora::test {

class StudioFixture : public QObject {
protected:
    // A tiny random pack, which the studio finds through KINORA_MODEL.
    void makeTinyPack()
    {
        m_pack = m_packDir.filePath(QStringLiteral("tiny"));
        QVERIFY(pipeline::Engine::initModel("tiny", m_pack.toStdString(), 11, true).ok());
        qputenv("KINORA_MODEL", m_pack.toUtf8());
    }

    // Fresh settings, with projects and recovery copies in a new temporary folder.
    void newSettings()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<app::Settings>(m_dir->filePath(QStringLiteral("k.ini")),
                                                     m_dir->filePath(QStringLiteral("data")));
        m_settings->setProjectsDir(m_dir->path());
    }

    // A studio and its window on the current settings (again after a simulated crash),
    // shown, with the model loaded.
    void startStudio()
    {
        m_studio = std::make_unique<app::Studio>(m_settings.get());
        m_studio->loadModel(); // finds the pack through KINORA_MODEL
        m_window = std::make_unique<ui::MainWindow>(m_studio.get());
        m_window->setConfirmClose(false);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE_WITH_TIMEOUT(m_studio->jobs()->modelState(), app::ModelState::Ready, 60000);
    }

    void closeStudio()
    {
        if (m_window)
            m_window->close();
        m_window.reset();
        m_studio.reset();
        m_settings.reset();
        m_dir.reset();
    }

    QTemporaryDir m_packDir;
    QString m_pack;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<app::Settings> m_settings;
    std::unique_ptr<app::Studio> m_studio;
    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace kinora::test
