package dln.interp.lib;

import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.None;
import dln.interp.value.Values;

/** Python's {@code open()}: text files read and written through the interpreter's sandbox. */
final class FilesLib implements Library {
  @Override
  public void install(Globals g) {
    g.def("open", "file, mode?, encoding?, newline?", "Opens a text file: mode 'r' (read, the default), 'w' (write, replacing it) or 'a' "
        + "(append); the sandbox decides which files a script may touch. Use it in a with block, which closes it.\n"
        + "Example: with open('log.txt', 'w') as f: f.write('epoch 1\\n')", a -> {
          String name = a.string("file");
          String mode = a.string("mode", "r");
          String encoding = a.string("encoding", "utf-8");
          if (!encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")) {
            throw dln.interp.DlnException.value("encoding '" + encoding + "' is not supported", "DLN reads and writes text files as utf-8");
          }
          boolean reading = mode.replace("t", "").equals("r");
          return TextFile.open(name, reading ? a.invoker().checkRead(name) : a.invoker().checkWrite(name), mode);
        });
    TypeTable.define(TextFile.class, "file")
        .attr("name", TextFile::name)
        .attr("mode", TextFile::mode)
        .attr("closed", TextFile::closed)
        .method("read", "size?", "The rest of the file as one string, or at most size characters.\nExample: text = f.read()",
            (TextFile f, Args a) -> f.read(a.integer("size", -1)))
        .method("readline", "", "The next line with its newline; '' at the end of the file.\nExample: header = f.readline()",
            (TextFile f, Args a) -> f.readline())
        .method("readlines", "", "The remaining lines, each with its newline.\nExample: lines = f.readlines()",
            (TextFile f, Args a) -> f.readlines())
        .method("write", "s", "Writes a string; returns the number of characters written.\nExample: f.write(f'{loss:.4f}\\n')",
            (TextFile f, Args a) -> f.write(a.string("s")))
        .method("writelines", "lines", "Writes each string of a list (no newlines are added).\nExample: f.writelines(['a\\n', 'b\\n'])",
            (TextFile f, Args a) -> {
              for (Object line : dln.interp.value.Iteration.toList(a.invoker(), a.get("lines"))) {
                if (!(line instanceof String s)) throw dln.interp.DlnException.type("writelines() needs strings, got " + Values.typeName(line));
                f.write(s);
              }
              return None.NONE;
            })
        .method("flush", "", "Does nothing: DLN writes through at once.\nExample: f.flush()", (TextFile f, Args a) -> None.NONE)
        .method("close", "", "Closes the file (a with block does it for you).\nExample: f.close()", (TextFile f, Args a) -> {
          f.close();
          return None.NONE;
        })
        .method("__enter__", "", "The file itself (with open(p) as f).\nExample: with open('a.txt') as f: ...", (TextFile f, Args a) -> f)
        .method("__exit__", "*args", "Closes the file at the end of a with block.\nExample: with open('a.txt') as f: ...", (TextFile f, Args a) -> {
          f.close();
          return false;
        })
        .repr(TextFile::toString);
  }
}
