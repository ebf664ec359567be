// The settings and keyboard-shortcut dialogs (offscreen).

#include "app/settings.h"
#include "ui/settings_dialog.h"
#include "ui/shortcuts_dialog.h"

#include <QComboBox>
#include <QDir>
#include <QTemporaryDir>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using kinora::ui::SettingsDialog;
using kinora::ui::StudioSettingsValues;

class TestSettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void modelDefaults();
    void refusesEmptyFolder();
    void shortcutsListed();
    void projectsFolderExists();
};

// The save and export dialogs start in the projects folder: ~/Documents, or the home
// folder on an account that has no Documents, or the folder the user chose.
void TestSettingsDialog::projectsFolderExists()
{
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("HOME");
    qputenv("HOME", home.path().toUtf8());
    kinora::app::Settings settings(home.filePath(QStringLiteral("k.ini")), home.filePath(QStringLiteral("data")));
    QCOMPARE(settings.projectsDir(), QDir::homePath());
    QVERIFY(QDir(home.path()).mkdir(QStringLiteral("Documents")));
    QCOMPARE(settings.projectsDir(), home.filePath(QStringLiteral("Documents")));
    settings.setProjectsDir(home.filePath(QStringLiteral("films")));
    QCOMPARE(settings.projectsDir(), home.filePath(QStringLiteral("films")));
    qputenv("HOME", oldHome);
}

void TestSettingsDialog::roundTrip()
{
    StudioSettingsValues in;
    in.device = QStringLiteral("cuda");
    in.threads = 3;
    in.defaultSteps = 40;
    in.defaultGuidance = 6.5;
    in.projectsFolder = QStringLiteral("/tmp/kinora-projects");
    SettingsDialog dialog(in);
    const StudioSettingsValues out = dialog.values();
    QCOMPARE(out.device, in.device);
    QCOMPARE(out.threads, 3);
    QCOMPARE(out.defaultSteps, 40);
    QCOMPARE(out.defaultGuidance, 6.5);
    QCOMPARE(out.projectsFolder, in.projectsFolder);

    dialog.findChild<QComboBox*>(QStringLiteral("deviceCombo"))->setCurrentIndex(1);
    QCOMPARE(dialog.values().device, QStringLiteral("cpu"));
}

void TestSettingsDialog::modelDefaults()
{
    StudioSettingsValues in;
    in.projectsFolder = QStringLiteral("/tmp");
    SettingsDialog dialog(in);
    QCOMPARE(dialog.values().defaultSteps, 0);
    QVERIFY(dialog.values().defaultGuidance < 0);
    QCOMPARE(
        dialog.findChild<QSpinBox*>(QStringLiteral("stepsSpin"))->text(), QStringLiteral("Model default"));
    QCOMPARE(dialog.values().device, QStringLiteral("auto"));
}

void TestSettingsDialog::refusesEmptyFolder()
{
    SettingsDialog dialog;
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    QVERIFY(!dialog.problem().isEmpty());
    dialog.findChild<QLineEdit*>(QStringLiteral("folderEdit"))
        ->setText(QStringLiteral("/tmp/new-kinora-projects"));
    QVERIFY(ok->isEnabled());
}

void TestSettingsDialog::shortcutsListed()
{
    kinora::ui::ShortcutsDialog dialog;
    auto* table = dialog.findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    QStringList keys;
    for (int row = 0; row < table->rowCount(); ++row)
        keys << table->item(row, 2)->text();
    const QString all = keys.join(QLatin1Char('|'));
    for (const QKeySequence& k : { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::Key_Space),
             QKeySequence(Qt::Key_J), QKeySequence(Qt::Key_S), QKeySequence(Qt::Key_Delete),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_E),
             QKeySequence(Qt::Key_R) })
        QVERIFY2(all.contains(k.toString(QKeySequence::NativeText)), qPrintable(k.toString()));
    QCOMPARE(table->rowCount(), kinora::ui::ShortcutsDialog::entries().size());
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
