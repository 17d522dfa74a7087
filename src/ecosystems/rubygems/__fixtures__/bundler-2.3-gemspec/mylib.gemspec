Gem::Specification.new do |s|
  s.name = "mylib"
  s.version = "1.2.0"
  s.summary = "x"
  s.authors = ["x"]
  s.files = ["lib/mylib.rb"]
  s.add_dependency "erb"
  s.add_development_dependency "base64"
end
