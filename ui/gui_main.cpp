#include "ui/gui_main.h"

#include <QApplication>
#include <QIcon>
#include <cstdlib>

#include "ui/main_window.h"
#include "ui/workspace.h"

namespace attnviz::ui {

int runGui(int argc, char** argv, const std::vector<std::string>& modelPaths,
           const std::vector<std::string>& inputTexts) {
  // Must happen before oneDNN/OpenMP starts its threads; never overrides the user's choice.
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);

  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("attnviz"));
  QApplication::setApplicationName(QStringLiteral("attnviz"));
  QApplication::setApplicationDisplayName(QStringLiteral("attnviz"));
  if (QApplication::applicationVersion().isEmpty()) QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/attnviz/icons/attnviz.svg")));

  MainWindow window;
  for (const std::string& path : modelPaths) window.workspace()->openModel(QString::fromStdString(path));
  if (!inputTexts.empty()) window.workspace()->setInputText(QString::fromStdString(inputTexts.front()));
  window.show();
  return QApplication::exec();
}

}  // namespace attnviz::ui
