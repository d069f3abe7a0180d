// Types of the cdktf jest matchers (toHaveResourceWithProperties, ...) that the root jest.setup.js
// registers globally with Testing.setupJest(); type-only, so tests need no import of their own.
import 'cdktf/lib/testing/adapters/jest';
