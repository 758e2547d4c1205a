#include "ui/alignment/gold_bar.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "ui/alignment/gold_alignment.h"
#include "ui/alignment/gold_files_dialog.h"
#include "ui/document/problem.h"
#include "ui/document/workspace.h"
#include "ui/alignment/seq2seq_extension.h"

namespace attnviz::ui {
namespace {

constexpr int kSentencePreviewChars = 60;

QString aerTip() {
  return QObject::tr("Alignment error rate (Och & Ney 2003): 1 − (|A∩S| + |A∩P|) / (|A| + |S|), A the model's argmax "
                     "links, S the sure and P the possible gold links. 0 is perfect. Each target word is linked to the "
                     "source word its first token attends to most.");
}

}  // namespace

GoldBar::GoldBar(QWidget* parent) : QWidget(parent) {
  lastDir_ = QDir::currentPath();
  load_ = new QPushButton(tr("Gold alignments…"), this);
  load_->setObjectName(QStringLiteral("loadGold"));
  load_->setToolTip(tr("Load a gold word-alignment set (WPT format: alignment file plus source and target sentence files)"));
  file_ = new QLabel(this);
  file_->setStyleSheet(QStringLiteral("color: #606060;"));
  sentence_ = new QComboBox(this);
  sentence_->setObjectName(QStringLiteral("goldSentence"));
  sentence_->setMinimumContentsLength(24);
  sentence_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  sentence_->setToolTip(tr("Pick a gold sentence: its source goes into the editor and its target is force-decoded"));
  aer_ = new QLabel(this);
  aer_->setObjectName(QStringLiteral("sentenceAer"));
  aer_->setToolTip(aerTip());
  aer_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  corpus_ = new QPushButton(tr("AER on all"), this);
  corpus_->setObjectName(QStringLiteral("corpusAer"));
  corpus_->setToolTip(tr("Alignment error rate over every sentence of the gold set (forced decoding of each gold "
                         "target), for the compared variants or the current model; runs in the background"));
  progress_ = new QProgressBar(this);
  progress_->setMaximumWidth(140);
  progress_->setVisible(false);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setVisible(false);
  cancel_->setToolTip(tr("Stop computing AER over all gold sentences"));
  corpusResult_ = new QLabel(this);
  corpusResult_->setObjectName(QStringLiteral("corpusAerResult"));
  corpusResult_->setToolTip(aerTip());
  corpusResult_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  corpusResult_->setWordWrap(true);  // one entry per compared variant: its own line, never widens the window
  problem_ = new QLabel(this);
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #b00020;"));
  problem_->setVisible(false);

  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(load_);
  row->addWidget(file_);
  row->addWidget(sentence_, 1);
  row->addWidget(aer_);
  row->addSpacing(8);
  row->addWidget(corpus_);
  row->addWidget(progress_);
  row->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->setSpacing(2);
  layout->addLayout(row);
  layout->addWidget(corpusResult_);
  layout->addWidget(problem_);

  connect(load_, &QPushButton::clicked, this, &GoldBar::openDialog);
  connect(sentence_, &QComboBox::activated, this, [this](int i) {
    if (!syncing_ && workspace_) workspace_->extension<Seq2seqExtension>().useGoldSentence(sentence_->itemData(i).toInt());
  });
  connect(corpus_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->extension<Seq2seqExtension>().startCorpusAer();
  });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->extension<Seq2seqExtension>().cancelCorpusAer();
  });
  rebuildSentences();
}

void GoldBar::attach() {
  if (workspace_) {
    GoldSet* gold = &workspace_->extension<Seq2seqExtension>().gold();
    listen(gold, &GoldSet::changed, this, &GoldBar::rebuildSentences);
    listen(gold, &GoldSet::currentChanged, this, &GoldBar::refresh);
    listen(gold, &GoldSet::corpusAerChanged, this, &GoldBar::refreshCorpus);
    listen(workspace_, &Workspace::shownTraceChanged, this, &GoldBar::refresh);
    listen(&workspace_->extension<Seq2seqExtension>(), &Seq2seqExtension::methodChanged, this, &GoldBar::refresh);
    listen(workspace_, &Workspace::compareChanged, this, &GoldBar::refreshCorpus);
    CorpusAerRunner* runner = &workspace_->extension<Seq2seqExtension>().corpusAerRunner();
    listen(runner, &CorpusAerRunner::started, this, [this](int total) {
      progress_->setRange(0, total);
      progress_->setValue(0);
      progress_->setVisible(true);
      cancel_->setVisible(true);
      corpusResult_->setVisible(true);
      corpus_->setEnabled(false);
      corpusResult_->setText(tr("AER on all sentences: running…"));
    });
    listen(runner, &CorpusAerRunner::progress, progress_, &QProgressBar::setValue);
    auto done = [this] {
      progress_->setVisible(false);
      cancel_->setVisible(false);
      corpus_->setEnabled(true);
      refreshCorpus();
    };
    listen(runner, &CorpusAerRunner::finished, this, done);
    listen(runner, &CorpusAerRunner::canceled, this, [this, done] {
      done();
      corpusResult_->setText(tr("AER on all sentences: cancelled"));
      corpusResult_->setVisible(true);
    });
  }
  rebuildSentences();
}

bool GoldBar::loadFiles(const QString& alignmentPath, const QString& sourcePath, const QString& targetPath) {
  if (!workspace_) return false;
  try {
    workspace_->extension<Seq2seqExtension>().gold().load(alignmentPath, sourcePath, targetPath);
  } catch (...) {
    problem_->setText(tr("Could not load the gold alignments — %1").arg(Problem::fromCurrentException().text()));
    problem_->setVisible(true);
    return false;
  }
  problem_->setVisible(false);
  lastDir_ = QFileInfo(alignmentPath).absolutePath();
  return true;
}

void GoldBar::openDialog() {
  GoldFilesDialog dialog(lastDir_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  if (loadFiles(dialog.alignmentPath(), dialog.sourcePath(), dialog.targetPath()) && workspace_->extension<Seq2seqExtension>().gold().size() > 0)
    workspace_->extension<Seq2seqExtension>().useGoldSentence(0);
}

void GoldBar::rebuildSentences() {
  {
    const QScopedValueRollback guard(syncing_, true);
    sentence_->clear();
    const bool loaded = workspace_ && !workspace_->extension<Seq2seqExtension>().gold().isEmpty();
    if (loaded) {
      const GoldSet& gold = workspace_->extension<Seq2seqExtension>().gold();
      for (int i = 0; i < gold.size(); ++i) {
        QString text = gold.at(i).sourceText();
        if (text.size() > kSentencePreviewChars) text = text.left(kSentencePreviewChars) + QStringLiteral("…");
        sentence_->addItem(QStringLiteral("%1: %2").arg(gold.at(i).number).arg(text), i);
        sentence_->setItemData(i, gold.at(i).sourceText() + QStringLiteral("\n→ ") + gold.at(i).targetText(), Qt::ToolTipRole);
      }
      file_->setText(gold.description());
      file_->setToolTip(QDir::toNativeSeparators(gold.alignmentPath()));
    } else {
      file_->setText(tr("none loaded"));
    }
    sentence_->setVisible(loaded);
    corpus_->setVisible(loaded);
  }
  refresh();
  refreshCorpus();
}

void GoldBar::refresh() {
  if (!workspace_) return;
  const GoldSet& gold = workspace_->extension<Seq2seqExtension>().gold();
  {
    const QScopedValueRollback guard(syncing_, true);
    sentence_->setCurrentIndex(gold.current());
  }
  const int active = workspace_->extension<Seq2seqExtension>().activeGoldSentence();
  const TracePtr trace = workspace_->shownTrace();
  if (gold.isEmpty()) {
    aer_->clear();
  } else if (gold.current() < 0) {
    aer_->setText(tr("pick a sentence"));
  } else if (active < 0) {
    aer_->setText(tr("<span style='color:#808080'>input or target edited: gold not shown</span>"));
  } else if (!trace) {
    aer_->setText(tr("running…"));
  } else {
    // The method and map the alignment view shows (Seq2seqExtension::method), so both say the same AER.
    const SentenceAlignment a = alignToGold(
        *trace, gold.at(active), {.method = methodFor(*trace, workspace_->extension<Seq2seqExtension>().method())});
    if (a.comparable) {
      aer_->setText(tr("<b>AER %1</b>").arg(a.counts.aer(), 0, 'f', 3));
      aer_->setToolTip(aerTip() + tr("\n\nThis sentence: |A| = %1, |S| = %2, |A∩S| = %3, |A∩P| = %4")
                                      .arg(a.counts.predicted).arg(a.counts.sure).arg(a.counts.sureHits).arg(a.counts.possibleHits));
    } else {
      aer_->setText(tr("<span style='color:#b00020'>AER n/a</span>"));
      aer_->setToolTip(a.why);
    }
  }
}

void GoldBar::refreshCorpus() {
  if (!workspace_) return;
  const auto& results = workspace_->extension<Seq2seqExtension>().gold().corpusAer();
  if (results.isEmpty()) {
    if (!workspace_->extension<Seq2seqExtension>().corpusAerRunner().isRunning()) corpusResult_->clear();
    corpusResult_->setVisible(!corpusResult_->text().isEmpty());
    return;
  }
  QStringList parts;
  QStringList tips;
  for (auto it = results.begin(); it != results.end(); ++it) {
    const CorpusAer& r = it.value();
    // Each result names the map and rule it was computed with: changing them later does not rerun it.
    parts << QStringLiteral("%1 <b>%2</b>%3")
                 .arg(r.label.toHtmlEscaped())
                 .arg(r.counts.aer(), 0, 'f', 3)
                 .arg(r.method.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(r.method.toHtmlEscaped()));
    tips << tr("%1: AER %2 over %3 sentences%4").arg(r.label).arg(r.counts.aer(), 0, 'f', 4).arg(r.sentences)
                .arg(r.skipped ? tr(", %1 skipped (%2)").arg(r.skipped).arg(r.firstProblem) : QString());
  }
  corpusResult_->setText(tr("AER on all %1 sentences: %2").arg(workspace_->extension<Seq2seqExtension>().gold().size()).arg(parts.join(QStringLiteral(" · "))));
  corpusResult_->setVisible(true);
  corpusResult_->setToolTip(aerTip() + QStringLiteral("\n\n") + tips.join(QLatin1Char('\n')));
}

QString GoldBar::sentenceAerText() const { return aer_->text(); }
QString GoldBar::corpusAerText() const { return corpusResult_->text(); }

}  // namespace attnviz::ui
