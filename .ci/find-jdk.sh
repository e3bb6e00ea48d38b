# Sourced: exports JAVA_HOME pointing at a JDK >= 25, or exits with one clear line.
_vlm4j_major() { "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'; }
_vlm4j_pick=""
for _c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
  if [ -n "$_c" ] && [ -x "$_c/bin/java" ] && [ "$(_vlm4j_major "$_c")" -ge 25 ] 2>/dev/null; then _vlm4j_pick="$_c"; break; fi
done
if [ -z "$_vlm4j_pick" ]; then echo "vlm4j: no JDK 25 or newer found (set JAVA_HOME, or install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64)" >&2; exit 1; fi
export JAVA_HOME="$_vlm4j_pick"
