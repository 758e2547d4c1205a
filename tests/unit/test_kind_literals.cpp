// A model kind's name appears as a string literal only in its registrations: its row of the engine's kind table
// (engine/models/<kind>/<kind>_kind.cpp) and of the window's (ui/kinds/<kind>/<kind>_ui.cpp). Everywhere else code
// asks the tables (engine/api/model_kind.h, ui/kinds/kind_ui.h) what a kind can do, so a new kind is found by every
// place that needs it. The names are read from the engine's table, so a new kind is checked without editing this.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/api/model_kind.h"

namespace fs = std::filesystem;

namespace {

// The line without a // comment (a "//" inside a string literal is kept: the scan stops at the first one outside).
std::string withoutComment(const std::string& line) {
  bool inString = false;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == '\\' && inString) { ++i; continue; }
    if (line[i] == '"') inString = !inString;
    if (!inString && line[i] == '/' && line[i + 1] == '/') return line.substr(0, i);
  }
  return line;
}

bool isRegistrationOf(const fs::path& relative, const std::string& kind) {
  return relative == fs::path("engine/models") / kind / (kind + "_kind.cpp") ||
         relative == fs::path("ui/kinds") / kind / (kind + "_ui.cpp");
}

}  // namespace

TEST(KindLiterals, KindNamesAppearOnlyInTheirRegistrations) {
  const fs::path root(ATTNVIZ_SOURCE_DIR);
  ASSERT_GE(attnviz::modelKinds().size(), 4u);
  int files = 0;
  for (const char* folder : {"engine", "ui", "app"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const auto ext = entry.path().extension();
      if (ext != ".h" && ext != ".cpp") continue;
      ++files;
      const fs::path relative = fs::relative(entry.path(), root);
      std::ifstream in(entry.path());
      std::string line;
      for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        const std::string code = withoutComment(line);
        for (const attnviz::ModelKind* kind : attnviz::modelKinds()) {
          if (code.find('"' + kind->name + '"') == std::string::npos || isRegistrationOf(relative, kind->name)) continue;
          ADD_FAILURE() << "the kind name \"" << kind->name << "\" as a literal outside its registration: "
                        << relative.string() << ":" << lineNo << ": " << line
                        << "\n  ask the kind table instead (engine/api/model_kind.h, ui/kinds/kind_ui.h)";
        }
      }
    }
  }
  EXPECT_GT(files, 100);
}

TEST(KindLiterals, CommentsAreNotCode) {
  EXPECT_EQ(withoutComment(R"(f("vit");  // "encoder")"), R"(f("vit");  )");
  EXPECT_EQ(withoutComment(R"(s = "a // b";)"), R"(s = "a // b";)");
  EXPECT_EQ(withoutComment(R"(s = "\"//"; // c)"), R"(s = "\"//"; )");
}
