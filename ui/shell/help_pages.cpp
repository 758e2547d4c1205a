#include "ui/shell/help_pages.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMenu>
#include <QMenuBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "engine/api/model.h"
#include "engine/ops/cpu_capabilities.h"

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
  return body.isEmpty() ? QString() : QStringLiteral("<h3>%1</h3><table>%2</table>").arg(heading, body);
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
  return QStringLiteral("<h2>%1</h2>").arg(esc(id.name)) + table(QObject::tr("Model"), rows(what)) +
         table(QObject::tr("Training data, metrics and provenance"), rows(info.card)) +
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

void showHelpPage(QWidget* parent, const QString& title, const QString& html) {
  auto* dialog = new QDialog(parent);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(title);
  dialog->setObjectName(QStringLiteral("helpPage"));
  auto* text = new QTextBrowser(dialog);
  text->setHtml(html);
  text->setOpenExternalLinks(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(text);
  layout->addWidget(buttons);
  dialog->resize(560, 520);
  dialog->show();
}

}  // namespace attnviz::ui
