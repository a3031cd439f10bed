// The smallest module worker: says hello once. The platform benchmark times its spawn.
self.postMessage('hello');
