// Diffs as CAcert's assessors would send them.
export function sampleDiff(tag = "1"): Uint8Array {
  return new TextEncoder().encode(
    `--- a/www/account.php\n+++ b/www/account.php\n@@ -10,3 +10,3 @@\n \t$query = "select * from domains";\n-\t$res = mysql_query($query);\n+\t$res = mysql_query($query); // fix ${tag}\n \tif (!$res) exit;\n`,
  );
}
