/** One fixed seed per ecosystem, so a failing random pair can be reproduced. */
export const SEEDS: Record<string, number> = {
  rpm: 0x5eed01,
  dpkg: 0x5eed02,
  pep440: 0x5eed03,
  rubygems: 0x5eed04,
  maven: 0x5eed05,
  packagist: 0x5eed06,
  semver: 0x5eed07,
};
