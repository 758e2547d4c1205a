#include "ui/shell/help_pages.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "engine/api/model.h"
#include "engine/ops/cpu_capabilities.h"
#include "ui/kinds/kind_ui.h"

namespace attnviz::ui {

namespace {

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

// <tr><td>key</td><td>value</td></tr> rows of a two-column table.
QString rows(const std::vector<std::pair<std::string, std::string>>& pairs) {
  QString html;
  for (const auto& [key, value] : pairs)
    html += QStringLiteral("<tr><td style='padding-right:12px; color:#505050'>%1</td><td>%2</td></tr>").arg(esc(key), esc(value));
  return html;
}

QString table(const QString& heading, const QString& body) {
  return body.isEmpty() ? QString() : QStringLiteral("<h3>%1</h3><table width='100%'>%2</table>").arg(heading, body);
}

// The panels count layers and heads from 1 ("layer 4/4 · head 4/4"); a card written by a training script may count
// from 0 and say so ("layer 2 head 3 (0-based)"). Shown as the panels count, so the card never names another head.
std::string countedFromOne(const std::string& text) {
  static const QRegularExpression zeroBased(QStringLiteral("\\blayer (\\d+),? head (\\d+) \\(0-based\\)"));
  QString s = QString::fromStdString(text);
  QRegularExpressionMatch m;
  while ((m = zeroBased.match(s)).hasMatch())
    s.replace(m.capturedStart(), m.capturedLength(),
              QStringLiteral("layer %1, head %2").arg(m.captured(1).toInt() + 1).arg(m.captured(2).toInt() + 1));
  return s.toStdString();
}

// "Next &Head" -> "Next Head"
QString plainText(const QAction* a) { return a->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")); }

void collectShortcuts(const QMenu* menu, QString& html) {
  QString body;
  for (const QAction* a : menu->actions()) {
    if (a->menu()) collectShortcuts(a->menu(), html);
    if (a->shortcuts().isEmpty()) continue;
    QStringList keys;
    for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText).toHtmlEscaped();
    body += QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
                .arg(keys.join(QStringLiteral(", ")), plainText(a).toHtmlEscaped());
  }
  if (!body.isEmpty()) html += QStringLiteral("<h3>%1</h3><table>%2</table>").arg(plainText(menu->menuAction()).toHtmlEscaped(), body);
}

}  // namespace

QString modelCardHtml(const attnviz::ModelInfo& info) {
  const auto& id = info.identity;
  std::vector<std::pair<std::string, std::string>> what = {{"kind", id.kind}, {"variant", id.variant.empty() ? "-" : id.variant},
                                                           {"format", info.format}, {"path", info.path}};
  what.emplace_back("parameters", QStringLiteral("%L1").arg(info.parameterCount).toStdString());
  for (const auto& [name, size] : info.vocabSizes)
    what.emplace_back("vocabulary (" + name + ")", QStringLiteral("%L1").arg(size).toStdString());
  std::string labels;
  for (const auto& l : info.labels) labels += (labels.empty() ? "" : ", ") + l;
  if (!labels.empty()) what.emplace_back("labels", labels);
  if (info.coreferenceHead)
    what.emplace_back("coreference head", "layer " + std::to_string(info.coreferenceHead->first + 1) + ", head " +
                                              std::to_string(info.coreferenceHead->second + 1));
  std::vector<std::pair<std::string, std::string>> card = info.card;
  for (auto& [key, value] : card) value = countedFromOne(value);
  // Said where a card numbers layers and heads: models with self-attention by layer and head.
  const QString counting = kindCan(id.kind, &attnviz::KindCapabilities::selfAttention)
                               ? QObject::tr("<p style='color:#505050'>Layers and heads count from 1, as in the panels. "
                                             "The Architecture table is the model's configuration as written (there, "
                                             "e.g. coreference_head counts from 0).</p>")
                               : QString();
  return QStringLiteral("<h2>%1</h2>").arg(esc(id.name)) + counting +
         table(QObject::tr("Model"), rows(what)) + table(QObject::tr("Training data, metrics and provenance"), rows(card)) +
         table(QObject::tr("Architecture"), rows(info.architecture)) +
         (info.card.empty() ? QObject::tr("<p><i>This model has no card: its files say nothing about its training data "
                                          "or metrics.</i></p>")
                            : QString());
}

QString aboutHtml() {
  return QStringLiteral("<h2>attnviz %1</h2>").arg(QApplication::applicationVersion().toHtmlEscaped()) +
         QObject::tr("<p>Look inside attention models: open a model, type a sentence or drop an image, and see what it "
                     "attended to.</p>") +
         table(QObject::tr("Versions"),
               rows({{"Qt", std::string(qVersion()) + " (built with " QT_VERSION_STR ")"},
                     {"oneDNN", attnviz::ops::onednnVersion()},
                     {"CPU kernels", attnviz::ops::cpuCapabilities().kernelsSummary()},
                     {"threads", std::to_string(attnviz::ops::threadCount())}})) +
         table(QObject::tr("CPU"),
               rows({{"processor", attnviz::ops::cpuCapabilities().processorText()},
                     {"features", attnviz::ops::cpuCapabilities().featuresText()},
                     {"bfloat16", attnviz::ops::cpuCapabilities().bf16Summary()}}));
}

QString shortcutsHtml(const QMenuBar* menus) {
  QString html = QObject::tr("<h2>Keyboard shortcuts</h2>");
  for (const QAction* a : menus->actions())
    if (a->menu()) collectShortcuts(a->menu(), html);
  return html;
}

QDialog* showHelpPage(QWidget* parent, const QString& title, const QString& html) {
  auto* dialog = new QDialog(parent);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setObjectName(QStringLiteral("helpPage"));
  auto* text = new QTextBrowser(dialog);
  text->setObjectName(QStringLiteral("helpText"));
  text->setOpenExternalLinks(true);
  // Long values (a JSON list in the configuration, a path) break anywhere rather than run off the right edge.
  text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  text->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  updateHelpPage(dialog, title, html);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(text);
  layout->addWidget(buttons);
  dialog->resize(640, 560);
  dialog->show();
  return dialog;
}

void updateHelpPage(QDialog* dialog, const QString& title, const QString& html) {
  dialog->setWindowTitle(title);
  if (auto* text = dialog->findChild<QTextBrowser*>(QStringLiteral("helpText"))) text->setHtml(html);
}

}  // namespace attnviz::ui
