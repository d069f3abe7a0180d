// Types of the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...) that
// jest.setup.js registers globally with Testing.setupJest(). Included by tsconfig.base.json.
import 'cdktf/lib/testing/adapters/jest';
