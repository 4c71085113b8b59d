#pragma once
// The review window as a command: `folio`, `folio gui [FILE...]`, and
// `folio gui --screenshot FILE [--open DOC] [--page N] [--search TEXT] [--db PATH]`, which renders the window to
// a PNG and exits, so the UI can be checked without a person.

namespace folio::app {

// Whether these arguments ask for the window: no command (shared options like --db may come
// first) or the command "gui". Decided before any QCoreApplication exists.
bool wantsGui(int argc, char** argv);

// Creates the QApplication, runs the window and returns the exit code (2 for a usage error).
int runGuiCommand(int argc, char** argv);

} // namespace folio::app
