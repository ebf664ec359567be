#include "ui/takes_panel.h"

#include "app/lineage.h"
#include "app/studio.h"
#include "ui/lineage_view.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kinora::ui {

TakesPanel::TakesPanel(app::Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    m_list = new QListWidget(this);
    m_list->setViewMode(QListView::ListMode);
    m_list->setIconSize(QSize(48, 48));
    m_list->setAccessibleName(tr("Takes"));
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reroll = new QPushButton(tr("Re-roll (new take)"), this);
    m_copyRecord = new QPushButton(tr("Copy record"), this);
    m_copyRecord->setObjectName(QStringLiteral("copyRecordButton"));
    m_copyRecord->setToolTip(tr("Copy this take's generation record (JSON): saved as a file in the project's "
                                "media folder, kinora-cli redo --from FILE makes the take again"));
    m_lineage = new LineageView(this);
    m_lineage->setObjectName(QStringLiteral("lineageView"));
    auto* lineageScroll = new QScrollArea(this);
    lineageScroll->setWidget(m_lineage);
    lineageScroll->setWidgetResizable(true);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_list, tr("&List"));
    m_tabs->addTab(lineageScroll, tr("Li&neage"));
    m_tabs->setTabToolTip(1, tr("The take's history as a graph: what it was extended, bridged, filled or re-rolled "
                                "from, and what was made from it"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_details);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_reroll);
    buttons->addWidget(m_copyRecord);
    layout->addLayout(buttons);
    connect(m_list, &QListWidget::currentRowChanged, this, &TakesPanel::onListCurrentRowChanged);
    // Queued: the scroll area takes the graph's new size first.
    connect(
        m_lineage, &LineageView::currentRectChanged, lineageScroll,
        [lineageScroll](const QRect& r) {
            if (!r.isNull())
                lineageScroll->ensureVisible(r.center().x(), r.center().y(), r.width() / 2 + 12, r.height() / 2 + 12);
        },
        Qt::QueuedConnection);
    connect(m_lineage, &LineageView::takeActivated, this, [this](const QString& clipId, int takeIndex) {
        const app::Clip* clip = m_studio->document()->clip(clipId);
        if (!clip)
            return;
        if (clipId != m_clipId)
            Q_EMIT clipRequested(clipId); // the main window selects it, which calls setClip()
        if (clip->activeTake != takeIndex)
            m_studio->document()->requestSwitchTake(clipId, takeIndex);
        else
            rebuild();
    });
    connect(m_reroll, &QPushButton::clicked, this, &TakesPanel::rerollRequested);
    connect(m_copyRecord, &QPushButton::clicked, this, [this] {
        if (const app::Clip* clip = m_studio->document()->clip(m_clipId))
            QGuiApplication::clipboard()->setText(QString::fromUtf8(QJsonDocument(clip->take().record).toJson()));
    });
    connect(studio->document(), &app::ProjectDocument::changed, this, &TakesPanel::rebuild, Qt::QueuedConnection);
    connect(studio, &app::Studio::thumbnailReady, this, &TakesPanel::rebuild);
    rebuild();
}

void TakesPanel::setClip(const QString& clipId)
{
    m_clipId = clipId;
    rebuild();
}

void TakesPanel::rebuild()
{
    m_rebuilding = true;
    m_list->clear();
    const app::Clip* clip = m_studio->document()->clip(m_clipId);
    m_reroll->setEnabled(clip != nullptr);
    m_copyRecord->setEnabled(clip != nullptr);
    if (!clip) {
        m_details->setText(tr("Select a clip on the timeline to see its takes."));
        m_lineage->setGraph({}, {}, {});
        m_rebuilding = false;
        return;
    }
    for (int i = 0; i < clip->takes.size(); ++i) {
        const app::Take& take = clip->takes[i];
        auto* item = new QListWidgetItem(
            tr("Take %1 · %2 · seed %3 · %4 frames").arg(i + 1).arg(take.operation()).arg(take.seed()).arg(take.frames) +
                (take.draft() ? tr(" · draft") : QString()),
            m_list);
        const QImage thumb = m_studio->thumbnail(take);
        if (!thumb.isNull())
            item->setIcon(QPixmap::fromImage(thumb.scaled(48, 48, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        item->setToolTip(take.record.value(QStringLiteral("expanded_prompt")).toString());
    }
    m_list->setCurrentRow(clip->activeTake);
    rebuildLineage(*clip);
    const app::Take& active = clip->take();
    m_details->setText(tr("Prompt: %1\nThe model saw: %2")
                           .arg(active.prompt(), active.record.value(QStringLiteral("expanded_prompt")).toString()));
    m_rebuilding = false;
}

void TakesPanel::rebuildLineage(const app::Clip& clip)
{
    const auto* document = m_studio->document();
    const app::LineageGraph graph = app::buildLineage(*document, clip.take().id);
    QHash<QString, QImage> thumbnails;
    QHash<QString, QString> captions;
    for (const auto& node : graph.nodes) {
        const app::Take& take = document->clips()[node.clipIndex].takes[node.takeIndex];
        const QImage thumb = m_studio->thumbnail(take);
        if (!thumb.isNull())
            thumbnails.insert(node.takeId, thumb.scaled(48, 48, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        captions.insert(node.takeId, tr("Clip %1 · Take %2\n%3 · seed %4%5")
                                         .arg(node.clipIndex + 1)
                                         .arg(node.takeIndex + 1)
                                         .arg(take.operation())
                                         .arg(take.seed())
                                         .arg(take.draft() ? tr(" · draft") : QString()));
    }
    m_lineage->setGraph(graph, thumbnails, captions);
}

void TakesPanel::onListCurrentRowChanged(int row)
{
    if (m_rebuilding || row < 0)
        return;
    m_studio->document()->requestSwitchTake(m_clipId, row);
}

} // namespace kinora::ui
