// Where the export dialogs propose to write: the folder of the last export if it still takes files, else the
// user's Documents, else home; never the folder a model was opened from (an installed model's folder is read-only).
// Remembered in QSettings ("export/folder") across runs.
//
//   QString path = QDir(exportFolder()).filePath("fig.png");
//   ... the user writes path ...;  rememberExportFolder(path);
#pragma once

#include <QString>

namespace attnviz::ui {

QString exportFolder();
void rememberExportFolder(const QString& writtenFile);  // its folder becomes the next exportFolder()
bool folderTakesFiles(const QString& folder);           // exists, and a file can be created in it

}  // namespace attnviz::ui
