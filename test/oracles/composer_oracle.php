<?php
// Reference: Composer's own VersionParser::normalize and Constraint::versionCompare (Debian package
// php-composer-semver). Reads "A<TAB>B" lines, prints -1/0/1 per line, "!" when Composer rejects
// either version, "~" when both are branches (Composer gives branches no order).
require '/usr/share/php/Composer/Semver/autoload.php';

use Composer\Semver\Constraint\Constraint;
use Composer\Semver\VersionParser;

$parser = new VersionParser();
$probe = new Constraint('==', '1.0.0.0');
$out = array();
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
    if ($line === '') {
        continue;
    }
    list($a, $b) = explode("\t", $line, 2);
    try {
        $na = $parser->normalize($a);
        $nb = $parser->normalize($b);
    } catch (\UnexpectedValueException $e) {
        $out[] = '!';
        continue;
    }
    if (strpos($na, 'dev-') === 0 && strpos($nb, 'dev-') === 0) {
        $out[] = $na === $nb ? '0' : '~';
        continue;
    }
    if ($probe->versionCompare($na, $nb, '<', true)) {
        $out[] = '-1';
    } elseif ($probe->versionCompare($na, $nb, '>', true)) {
        $out[] = '1';
    } else {
        $out[] = '0';
    }
}
echo implode("\n", $out), "\n";
