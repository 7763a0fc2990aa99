// What search engines' course features require of a detail page's JSON-LD (Google's
// "Course info" structured data), as a preset for structured-data-testing-tool: a Course
// with name, description and provider; at least one course instance, each with a mode
// among Online, Onsite and Blended and a workload; offers with price, currency and a
// category. The tool's `expect` passes when any array item matches, so opendata.spec.ts
// also checks every instance itself.
module.exports = {
  name: 'Course',
  description: 'Course info structured data',
  schema: 'Course',
  conditional: { test: 'Course' },
  tests: [
    { test: 'Course', type: 'jsonld', description: 'a schema.org Course in JSON-LD' },
    { test: 'Course[*].name' },
    { test: 'Course[*].description' },
    { test: 'Course[*].provider.name' },
    { test: 'Course[*].hasCourseInstance' },
    { test: 'Course[*].hasCourseInstance[].courseMode', expect: /^(Online|Onsite|Blended)$/ },
    { test: 'Course[*].hasCourseInstance[].courseWorkload', expect: /^P(T\d+H|\d+D)$/ },
    { test: 'Course[*].offers[].price' },
    { test: 'Course[*].offers[].priceCurrency', expect: 'NZD' },
    { test: 'Course[*].offers[].category', expect: /^(Free|Partially Free|Subscription|Paid)$/ },
  ],
};
