# Reference: RubyGems' Gem::Version. Reads "A<TAB>B" lines, prints -1/0/1 per line, or "!" when
# either side is not a correct version.
out = []
$stdin.read.split("\n").each do |line|
  next if line.empty?
  a, b = line.split("\t", -1)
  if Gem::Version.correct?(a) && Gem::Version.correct?(b)
    out << (Gem::Version.new(a) <=> Gem::Version.new(b)).to_s
  else
    out << "!"
  end
end
$stdout.write(out.join("\n") + "\n")
