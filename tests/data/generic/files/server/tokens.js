const jwt = require('jsonwebtoken');
const token = jwt.sign({ sub: user.id }, '8OzQek3f3W20GSQYFQPPlauFuy31', { expiresIn: '1h' });
const checked = jwt.verify(token, process.env.JWT_SECRET);
