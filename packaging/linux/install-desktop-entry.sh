#!/bin/sh
# Adds DPIA to your desktop's menu, opens .dpia drafts with it and puts `dpia` and `dpia-app` in
# ~/.local/bin, for the folder this script is in. No administrator rights needed.
#   ./install-desktop-entry.sh            add (again, after moving the folder)
#   ./install-desktop-entry.sh --remove   take it all away again (your drafts are not touched)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin

refresh() {
  # Each tool is optional: desktops without them pick the changes up at the next login.
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--remove" ]; then
  rm -f "$data/applications/dpia-app.desktop" "$data/mime/packages/dpia-app.xml" "$bin/dpia" "$bin/dpia-app"
  find "$data/icons/hicolor" \( -name dpia-app.png -o -name application-x-dpia.png \) -delete 2>/dev/null || true
  refresh
  echo "DPIA removed from the menu. Delete $here to remove the app itself."
  exit 0
fi

mkdir -p "$data/applications" "$data/mime/packages" "$bin"
# The desktop entry names this folder's dpia-app; quoted, since the folder may contain spaces.
sed "s|@APP_DIR@/dpia-app|\"$here/dpia-app\"|" "$here/share/applications/dpia-app.desktop" > "$data/applications/dpia-app.desktop"
cp "$here/share/mime/packages/dpia-app.xml" "$data/mime/packages/dpia-app.xml"
cp -R "$here/share/icons" "$data/"
ln -sf "$here/dpia" "$bin/dpia"
ln -sf "$here/dpia-app" "$bin/dpia-app"
refresh
echo "DPIA is in your applications menu; .dpia drafts open with it; dpia and dpia-app are in $bin."
