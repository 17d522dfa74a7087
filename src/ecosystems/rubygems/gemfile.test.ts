import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGemfile } from './gemfile.js';

const names = (deps: { name: string }[]): string[] => deps.map((d) => d.name).sort();

describe('readGemfile', () => {
  it('puts gems whose every group is development or test in dev, the rest in prod', () => {
    const r = readGemfile(`# frozen_string_literal: true
source "https://rubygems.org"
git_source(:github) { |repo| "https://github.com/#{repo}.git" }
ruby "3.2.2"

gem "rails", "~> 7.1" # the framework
gem "pg", ">= 1.1",
  require: false
gem "rspec-rails", group: [:development, :test]
gem "rubocop", :group => :development
gem "debug", platforms: %i[mri windows], groups: %w[development]

group :development, :test do
  gem "factory_bot"
  platforms :mri do
    gem "byebug"
  end
end

group :test, :production do
  gem "capybara"
end

group :development do
  gem "web-console", group: :production
end
`);
    assert.equal(r.complete, true);
    assert.deepEqual(names(r.dev), ['byebug', 'debug', 'factory_bot', 'rspec-rails', 'rubocop']);
    assert.deepEqual(names(r.prod), ['capybara', 'pg', 'rails', 'web-console']);
  });

  it('reads through conditionals and takes gemspec as the project gem, in its groups', () => {
    const r = readGemfile(`gemspec path: "gems/core", name: "core"
if RUBY_VERSION >= "3.0"
  gem "json"
elsif ENV["OLD"]
  gem "json", "< 2"
else
  group :test do
    gem "minitest"
  end
end
case ENV["DB"]
when "pg"
  gem "pg"
end
group :development do
  gemspec
end
`);
    assert.equal(r.complete, true);
    assert.deepEqual(r.prod, [
      { name: 'core', req: '', path: 'gems/core' },
      { name: 'json', req: '' },
      { name: 'json', req: '' },
      { name: 'pg', req: '' },
    ]);
    assert.deepEqual(r.dev, [
      { name: 'minitest', req: '' },
      { name: '', req: '', path: '.' },
    ]);
  });

  it('gives up on what it cannot follow: loops, eval_gemfile, dynamic names, groups or gemspec paths', () => {
    for (const text of [
      'while x\n  gem "a"\nend\n',
      '%w[a b].each do |g|\n  gem g\nend\n',
      'gemspec path: dir\n',
      'else\n',
      'case x\nwhen "pg" then gem "pg"\nend\n',
      'gem "a"; gem "b"\n',
      'eval_gemfile "other.rb"\n',
      'gem name\n',
      'group GROUPS do\n  gem "a"\nend\n',
      'gem "a", group: groups\n',
      'group :test do\n  gem "a"\n',
      'end\n',
      'something_else "a"\n',
      `gem "a", require: "${'x'.repeat(20_000)}"\n`,
    ]) {
      assert.equal(readGemfile(text).complete, false, text);
    }
  });
});
